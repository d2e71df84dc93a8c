"""Production runs the channel layer that test_multiprocess.py proves across a restart."""

from __future__ import annotations

import subprocess
import sys

from tests.test_deploy_check import ROOT, production_env

from .test_multiprocess import PUBSUB


def test_production_uses_the_redis_pubsub_layer(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.CHANNEL_LAYERS['default'])",
        ],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"'BACKEND': '{PUBSUB}'" in result.stdout
    assert "'hosts': ['redis://cache.example.org:6379/0']" in result.stdout
