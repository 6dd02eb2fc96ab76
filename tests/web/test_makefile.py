"""The Makefile's promises, read with `make -n` (prints the commands, runs none)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(tmp_path, *args):
    done = subprocess.run(["make", "-n", f"VENV={tmp_path / 'venv'}", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_run_takes_port_and_host(tmp_path):
    assert "runserver 127.0.0.1:8000" in dry_run(tmp_path, "run")
    assert "runserver 0.0.0.0:8123" in dry_run(tmp_path, "run", "PORT=8123", "HOST=0.0.0.0")


def test_setup_installs_the_system_packages_too(tmp_path):
    out = dry_run(tmp_path, "setup")
    assert "apt-get install" in out and "chromium:chromium" in out and "msgfmt:gettext" in out and "requirements-dev.txt" in out
