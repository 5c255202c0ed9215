"""scripts/run says which port it serves on and how to change it, and refuses a port that is none
(checked before anything is installed or started)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.support.env import ROOT


def run(*args: str, port: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port is not None:
        env["PORT"] = port
    return subprocess.run([str(ROOT / "scripts" / "run"), *args], capture_output=True, text=True, env=env, timeout=30)


def test_the_help_says_the_port_and_how_to_change_it():
    result = run("--help")
    assert result.returncode == 0
    assert "http://127.0.0.1:5000/ (another port: PORT=8080 scripts/run, or --port 8080)" in result.stdout
    assert "--port N" in result.stdout


@pytest.mark.parametrize("args, port", [(["--port", "http"], None), (["--port=0"], None), ([], "65536"),
                                        ([], "99999999999999999999999"), (["--port"], None)])
def test_a_port_that_is_none_is_refused_before_anything_starts(args, port):
    result = run(*args, port=port)
    assert result.returncode == 2
    assert "port" in result.stderr and "»" not in result.stdout
