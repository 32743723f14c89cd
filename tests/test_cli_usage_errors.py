"""A mistyped command line, run as users run it (a fresh process through the console entry),
gets Click's usage message naming the option, and exit code 2, never a class name."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["worker", "--nice", "25"], "Invalid value for '--nice'"),
        (["report", "in.yaml", "--workers", "0"], "Invalid value for '--workers'"),
        (["assess", "--nope"], "No such option: --nope"),
        (["assess"], "Missing argument 'INPUT'"),
    ],
)
def test_usage_errors_name_the_option_and_exit_2(args: list[str], said: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert said in done.stderr
    assert f"{args[0]} --help' for help." in done.stderr
    for class_name in ("BadParameter", "NoSuchOption", "MissingParameter", "Traceback"):
        assert class_name not in done.stderr
