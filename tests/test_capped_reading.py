"""Size caps are checked while reading, for every reader: a huge sparse file, /dev/zero or a
named pipe as input is refused with a message, never read whole (security issue, hole 7).

Each case runs in a child process with a 1 GB address-space cap and a time limit, so a reader
that reads the whole file fails the test (MemoryError or timeout) instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app

ROOT = Path(__file__).parents[1]
LIMIT = 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def run_limited(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        cwd=ROOT,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )


READ_YAML = """
import sys
from advisor.errors import InputError
from advisor.yamlio import read_yaml
try:
    read_yaml(sys.argv[1])
except InputError as exc:
    print(exc)
"""

READ_LOGO = """
import sys
from pathlib import Path
from advisor.errors import InputError
from advisor.reporting.theme import load_theme
theme = Path(sys.argv[1])
theme.write_text("organisation_name: X\\nlogo: " + sys.argv[2] + "\\n", encoding="utf-8")
try:
    load_theme(theme)
except InputError as exc:
    print(exc)
"""

READ_RULE_FILES = """
import sys
from advisor.errors import InputError
from advisor.services.kb_revisions import _read_files
from pathlib import Path
try:
    _read_files(Path(sys.argv[1]))
except InputError as exc:
    print(exc)
"""


@pytest.fixture
def huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: no real gigabytes written
    return path


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_huge_sparse_file_is_refused_while_reading(huge: Path) -> None:
    done = run_limited(READ_YAML, str(huge))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"{huge}: (file): file is larger than 5000000 bytes"


def test_dev_zero_and_a_named_pipe_are_refused_without_reading(fifo: Path) -> None:
    for source, kind in (("/dev/zero", "a device"), (str(fifo), "a named pipe (FIFO)")):
        done = run_limited(READ_YAML, source)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == f"{source}: (file): is {kind}: only regular files are read"


def test_the_command_line_refuses_such_input_with_exit_2(huge: Path, fifo: Path) -> None:
    # in this process (the reader is shown safe by the child-process tests above)
    for source in (str(huge), str(fifo), "/dev/zero"):
        done = CliRunner().invoke(app, ["assess", source])
        assert done.exit_code == 2, done.output
        assert done.stderr.startswith(f"{source}: (file): ")


def test_knowledge_base_files_are_capped_while_reading(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    with (kb / "scoring.yaml").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    done = run_limited(READ_RULE_FILES, str(kb))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "scoring.yaml: (file): file is larger than 5000000 bytes" in done.stdout


def test_a_logo_that_is_a_device_or_pipe_is_refused(tmp_path: Path, fifo: Path) -> None:
    for logo in ("/dev/zero", str(fifo)):
        done = run_limited(READ_LOGO, str(tmp_path / "theme.yaml"), logo)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "theme.yaml: logo: is a " in done.stdout
        assert "only regular files are read" in done.stdout
