"""The SMTP server prod-smoke.sh sends mail to: every message accepted lands in a Maildir.

    python scripts/smtp_sink.py PORT MAILDIR HOLD_FILE

While HOLD_FILE exists, the sink holds each recipient before answering (it logs
"holding" once per message): the sender stays mid-conversation, so a worker killed then
dies in the middle of its task, before the message was accepted.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class HoldingMailbox(Mailbox):
    def __init__(self, maildir: str, hold_file: str) -> None:
        super().__init__(maildir)
        self.hold_file = Path(hold_file)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_file.exists():
            print(f"holding {address}", flush=True)
            while self.hold_file.exists():
                await asyncio.sleep(0.2)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def main() -> None:
    port, maildir, hold_file = sys.argv[1:]
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)  # before the server's thread inherits it
    controller = Controller(
        HoldingMailbox(maildir, hold_file), hostname="127.0.0.1", port=int(port)
    )
    controller.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    signal.sigwait(stop)
    controller.stop()


if __name__ == "__main__":
    main()
