"""Reports are written only to regular files (or standard output with ``-o -``); a device,
named pipe, socket, folder or symbolic link is refused, naming the output (security issue,
hole 2 and the first item of 11)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.store.backup import backup_sqlite
from advisor.store.database import Database
from advisor.yamlio import check_output_path, write_bytes_atomic

PERSONA = Path(__file__).parents[1] / "personas" / "greenwich_asc.yaml"
runner = CliRunner()


def special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"out-{kind}.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        (tmp_path / "real.json").write_text("keep me\n", encoding="utf-8")
        path.symlink_to(tmp_path / "real.json")
    return path


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_report_refuses_a_special_output_and_leaves_it_alone(tmp_path: Path, kind: str) -> None:
    out = special(tmp_path, kind)
    result = runner.invoke(app, ["report", str(PERSONA), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"{out}: (output): is a " in result.stderr
    assert "only to regular files" in result.stderr
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(out).st_mode)
    else:
        assert out.is_symlink()
        assert (tmp_path / "real.json").read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_the_atomic_writer_refuses_special_files_for_every_caller(
    tmp_path: Path, kind: str
) -> None:
    out = special(tmp_path, kind)
    with pytest.raises(InputError) as refused:
        write_bytes_atomic(out, b"data")
    assert refused.value.problems[0].file == str(out)
    assert refused.value.problems[0].field == "(output)"
    assert stat.S_ISFIFO(os.lstat(out).st_mode) if kind == "fifo" else out.is_symlink()


def test_a_store_backup_refuses_special_files_too(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    store.write_bytes(b"")
    db = Database(f"sqlite:///{store}")
    try:
        out = special(tmp_path, "fifo")
        with pytest.raises(InputError, match="is a named pipe"):
            backup_sqlite(db, out)
        assert stat.S_ISFIFO(os.lstat(out).st_mode)
    finally:
        db.dispose()


def test_devices_and_folders_are_refused_as_output(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a device"):
        check_output_path("/dev/null")
    with pytest.raises(InputError, match="is a folder"):
        check_output_path(tmp_path)
    check_output_path(tmp_path / "new.pdf")  # a new name is fine
    (tmp_path / "old.pdf").write_bytes(b"old")
    check_output_path(tmp_path / "old.pdf")  # so is a regular file


def test_a_regular_file_is_replaced_keeping_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o644)
    write_bytes_atomic(out, b"new\n")
    assert out.read_bytes() == b"new\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs /proc")
def test_an_unwritable_output_is_named_not_the_input() -> None:
    result = runner.invoke(app, ["report", str(PERSONA), "-o", "/proc/version", "-f", "json"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("/proc/version: (output): cannot write")
    assert str(PERSONA) not in result.stderr


@pytest.mark.parametrize(("fmt", "start"), [("csv", b"body,section,rank"), ("json", b"{")])
def test_report_to_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, start: bytes
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", str(PERSONA), "-o", "-", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(start)
    assert b"wrote" not in result.stdout_bytes
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_batch_to_standard_output_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--batch", str(tmp_path), "-o", "-"])
    assert result.exit_code == 2
    assert "--batch writes a folder" in result.stderr
