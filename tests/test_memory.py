"""The allocator setting: asked for once by the programs that own their process, never by the engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _ask(env: dict[str, str]) -> str:
    code = "from dti.memory import keep_freed_memory as k; print(k(), k())"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_glibc_agrees_to_keep_freed_memory():
    assert _ask({}) == "True True"


def test_zero_leaves_the_allocator_alone():
    assert _ask({"DTI_MALLOC_TOP_PAD": "0"}) == "False False"


ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> str:
    # DTI_DEBUG: importing the web entry point loads settings, which want a secret key otherwise.
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "DTI_DEBUG": "1"},
                          capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


SCORE = """
import sys
from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset
from dti.engine.scoring import score
compiled = compile_framework(load_framework("docs/examples/vidu/framework.yaml"))
data = build_dataset(compiled, [Unit("a", "a", "so")], [("a", "1.2.a", "1"), ("a", "1.2.b", "3")])
score(compiled, data).to_dict()
print("dti.memory" in sys.modules)
"""


def test_scoring_leaves_the_process_allocator_alone():
    assert _run(SCORE) == "False"


def test_the_dti_command_asks_at_start():
    assert _run("import io, contextlib, dti.memory, dti.cli\n"
                "with contextlib.redirect_stdout(io.StringIO()): dti.cli.main(['schema'])\n"
                "print(dti.memory._outcome is not None)") == "True"


def test_the_web_entry_point_asks_at_start():
    assert _run("import dti.memory, dti.site.wsgi; print(dti.memory._outcome is not None)") == "True"
