"""The command-line entry point: help, version, usage errors and a closed output pipe."""

from __future__ import annotations

import subprocess
import sys

import pytest

import tthc
from tthc.cli import EXIT_USAGE, main


def test_no_command_prints_help_and_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert "COMMAND" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert tthc.__version__ in capsys.readouterr().out


def test_closed_pipe_stops_quietly() -> None:
    # The JSON catalogue (~120 kB) is larger than a pipe buffer, so the write must hit EPIPE.
    proc = subprocess.Popen(
        [sys.executable, "-m", "tthc", "catalog", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    returncode = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert returncode == 141  # EXIT_BROKEN_PIPE: 128 + SIGPIPE, as a shell reports it
    assert "Traceback" not in err
    assert "Broken pipe" not in err
