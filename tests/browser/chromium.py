"""Debian's Chromium as every browser check drives it: the test suite (conftest.py) and the
production journey through nginx (scripts/prod_journey.py). No Django here: the journey
runs outside the project's process."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

# Every page reports what the Content-Security-Policy blocked.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


def open_context(browser, base_url: str, csp_violations: list[str], **options):
    """A fresh browser context (its own cookies) whose pages add what the policy blocks to
    csp_violations."""
    context = browser.new_context(base_url=base_url, locale="fr-FR", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding(
        "reportCspViolation",
        lambda source, text: csp_violations.append(f"{source['frame'].url}: {text}"),
    )
    context.add_init_script(CSP_LISTENER)
    return context
