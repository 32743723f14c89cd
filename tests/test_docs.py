"""Docs that cannot drift: the README's commands exist, the method page matches the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.matching.rules import load_matching_rules
from advisor.matching.vendors import COMPONENTS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
METHOD = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")


def _readme_commands() -> list[list[str]]:
    commands = []
    for line in README.splitlines():
        m = re.match(r"\s{4}advisor ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", line)
        if m:
            words = m.group(1).split()
            commands.append(words)
            rest = line[m.end() :]
            # "advisor db upgrade | status | backup FILE" lists several subcommands
            commands += [[words[0], alt.split()[0]] for alt in re.findall(r"\| ([a-z-]+)", rest)]
    return commands


COMMANDS = _readme_commands()


def test_readme_opens_with_the_two_set_up_commands() -> None:
    setup = README.split("## Set up on a fresh machine", 1)[1].split("##", 1)[0]
    assert re.findall(r"^\s{4}make (\w+)$", setup, flags=re.MULTILINE) == ["run", "test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(w) for w in COMMANDS])
def test_every_readme_command_exists(words: list[str]) -> None:
    if len(words) == 2 and words[1] in {"input", "dir", "file"}:
        words = words[:1]
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output


def test_readme_lists_every_command() -> None:
    listed = {w[0] for w in COMMANDS}
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names <= listed, names - listed


def test_method_page_names_every_vendor_component_and_the_tie_margin() -> None:
    rules = load_matching_rules()
    for component in COMPONENTS:
        assert component.replace("_", " ").replace("sme", "SME") in METHOD, component
    assert f"within {rules.vendor.near_tie}" in METHOD
    assert f"by {rules.sensitivity.step:.0%}" in METHOD
    assert f"at least {rules.delivery.clear_fit} (`delivery.clear_fit`)" in METHOD
    assert f"{rules.vendor.shortlist} vendors by default" in METHOD.replace("five", "5")
