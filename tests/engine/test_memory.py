"""The allocator setting: asked for once, and left alone when told to."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _ask(env: dict[str, str]) -> str:
    code = "from dti.engine.memory import keep_freed_memory as k; print(k(), k())"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_glibc_agrees_to_keep_freed_memory():
    assert _ask({}) == "True True"


def test_zero_leaves_the_allocator_alone():
    assert _ask({"DTI_MALLOC_TOP_PAD": "0"}) == "False False"
