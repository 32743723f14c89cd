"""Every text a person reads says the advice in plain words: no ids, arrows or rule-file keys.

For each persona this collects the command line's text output (``advisor assess``), the app's
results and what-if pages (AppTest) and the HTML report (``advisor report --format html``), and
looks in them for any question id of the bundled questionnaire, any knowledge-graph edge type,
an arrow, a key of the rule files, a raw id of the shared vocabulary, or the id of a
knowledge-base entry (a goal given as an id is said by its name). Ids made of one plain
word ("legal", "financial") are English too, so only ids with an underscore are looked for.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FAST_HASHING
from harness import PERSONAS, persona_assessment, signed_in
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from advisor import vocabulary
from advisor.app.first_run import Account, create_demo_accounts, prepare_store
from advisor.assessment_input import bundled_assessment, parse_assessment_input
from advisor.cli import app as cli_app
from advisor.errors import InputError
from advisor.kb.graph import EDGE_TYPES
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.rule_files import RULE_FILES
from advisor.services.accounts import sign_in
from advisor.services.app_support import open_store
from advisor.services.assessments import list_assessments
from advisor.settings import Settings
from advisor.store.database import Database

PERSONA_NAMES = sorted(p.stem for p in PERSONAS.glob("*.yaml"))
ARROWS = ("->", "<-", "\u2192", "\u2190")


def _yaml_keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _yaml_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _yaml_keys(value)


@cache
def forbidden() -> dict[str, str]:
    """Every id a reader must never see, with what it is (for the failure message)."""
    found: dict[str, str] = {}
    for name in RULE_FILES:
        doc = yaml.safe_load((BUNDLED_KB_DIR / name).read_text(encoding="utf-8"))
        for key in _yaml_keys(doc):
            found.setdefault(key, f"a key of {name}")
    for edge in EDGE_TYPES:
        found[edge] = "an edge type of the knowledge graph"
    for enum in vars(vocabulary).values():
        if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum:
            for member in enum:
                found[member.value] = f"a {enum.__name__} id"
    kb = load_knowledge_base()
    for kind, entries in kb:
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(getattr(entry, "id", None), str):
                found.setdefault(entry.id, f"a knowledge-base id ({kind})")
            for offering in getattr(entry, "offerings", []):
                if isinstance(getattr(offering, "id", None), str):
                    found.setdefault(offering.id, "a knowledge-base id (offering)")
    bank, _ = bundled_assessment()
    for question in bank.questions():
        found[question.id] = "a question id"
    return {term: what for term, what in found.items() if "_" in term}


@cache
def _pattern() -> re.Pattern[str]:
    terms = sorted(forbidden(), key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w])")


def problems(source: str, texts: list[str]) -> list[str]:
    """Each id, arrow or key found in the texts, with where and what it is."""
    out = []
    for raw in texts:
        text = re.sub(r"\\(.)", r"\1", raw)  # markdown escapes (\_, \-, \>) are not what is read
        for arrow in ARROWS:
            if arrow in text:
                out.append(f"{source}: an arrow {arrow!r} in: {text[:200]}")
        for match in _pattern().finditer(text):
            what = forbidden()[match[1]]
            start = max(0, match.start() - 60)
            out.append(f"{source}: {what} {match[1]!r} in: ...{text[start : match.end() + 60]}...")
    return out


# --- one store for the module: the demo accounts and every persona's submitted assessment -----


@dataclass
class World:
    db: Database
    settings: Settings
    lead: Account
    assessments: dict[str, int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("user_text") / "data"
    data.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADVISOR_DATA_DIR", str(data))
        mp.delenv("ADVISOR_DATABASE_URL", raising=False)
        for name, value in FAST_HASHING.items():
            mp.setenv(name, value)
        settings = Settings()
        db = open_store(settings)
        prepare_store(db, settings)
        lead = next(a for a in create_demo_accounts(db, settings) if a.email.startswith("lead@"))
        for number, persona in enumerate(PERSONA_NAMES, start=1):
            persona_assessment(db, settings, lead, persona, f"Assessment {number}", submit=True)
        who = sign_in(db, settings, lead.email, lead.password)
        by_title = {a.title: a.id for a in list_assessments(db, who)}
        assessments = {
            persona: by_title[f"Assessment {number}"]
            for number, persona in enumerate(PERSONA_NAMES, start=1)
        }
        yield World(db, settings, lead, assessments)
        db.dispose()


# --- what each surface shows ---------------------------------------------------------------------


def app_texts(at: AppTest) -> list[str]:
    """Every text on the page: prose, boxes, headings, tab and expander labels, tables, widgets."""
    texts: list[str] = []
    for group in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.text,
        at.info,
        at.warning,
        at.success,
        at.error,
    ):
        texts += [str(e.value) for e in group]
    texts += [str(e.label) for e in at.expander]
    texts += [str(e.label) for e in at.tabs]
    texts += [e.value.to_csv() for e in at.dataframe]
    for widgets in (at.selectbox, at.multiselect, at.radio, at.select_slider):
        for w in widgets:
            texts.append(str(w.label))
            texts += [str(o) for o in w.proto.options]
    for widgets in (at.slider, at.button, at.checkbox, at.text_input, at.text_area):
        texts += [str(w.label) for w in widgets]
    return texts


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("title", "alt", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def html_texts(html: str) -> list[str]:
    """The words a reader sees in an HTML page (text, titles and alternative text)."""
    parser = _Text()
    parser.feed(html)
    return parser.texts


# --- the checks ----------------------------------------------------------------------------------


def test_the_check_catches_what_it_should() -> None:
    assert problems("t", ["Legal concerns slow every financial project"]) == []
    assert problems("t", ["it_cloud (Do you use cloud?): Yes"])  # a question id
    assert problems("t", ["your goal: Hospitals -needs-> Security"])  # an arrow
    assert problems("t", ["best model digital\\_hit\\_team"])  # an escaped enum id
    assert problems("t", ["a London borough on g_cloud"])  # a framework id
    assert problems("t", ["it covers\\_area Security"])  # an edge type


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_command_line_text_is_plain(persona: str) -> None:
    result = CliRunner().invoke(cli_app, ["assess", str(PERSONAS / f"{persona}.yaml")])
    assert result.exit_code == 0, result.output
    assert "Roadmap" in result.output
    assert problems(f"advisor assess {persona}", result.output.splitlines()) == []


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_results_and_what_if_pages_are_plain(world: World, persona: str) -> None:
    aid = world.assessments[persona]
    at = signed_in(world.lead)
    at.switch_page("app_pages/results.py").run()
    at.selectbox(key="results_pick").set_value(aid).run()
    assert not at.exception, at.exception
    texts = app_texts(at)
    assert any("Results for" in t for t in texts)
    found = problems(f"results page, {persona}", texts)

    at.switch_page("app_pages/what_if.py").run()
    at.selectbox(key="whatif_pick").set_value(aid).run()
    at.select_slider(key=f"whatif_{aid}_b_legal").set_value(0).run()
    at.slider(key=f"whatif_{aid}_m_personal_identity_data_management").set_value(5).run()
    assert not at.exception, at.exception
    found += problems(f"what-if page, {persona}", app_texts(at))
    assert found == []


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_html_report_is_plain(persona: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(PERSONAS / f"{persona}.yaml"), "-o", str(out), "--format", "html"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert problems(f"HTML report, {persona}", html_texts(out.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_csv_export_reasons_and_names_are_plain(persona: str, tmp_path: Path) -> None:
    """The CSV keeps ids in its id column; its names, details and reasons are plain."""
    out = tmp_path / "report.csv"
    args = ["report", str(PERSONAS / f"{persona}.yaml"), "-o", str(out), "--format", "csv"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    texts = [row[col] for row in rows for col in ("name", "detail", "why") if row.get(col)]
    assert any(row["section"] == "find_out" for row in rows)
    assert problems(f"CSV export, {persona}", texts) == []


def test_legal_barrier_actions_are_listed_in_the_command_line_text() -> None:
    result = CliRunner().invoke(cli_app, ["assess", str(PERSONAS / "legal_blocked.yaml")])
    assert "          - Record consent per purpose" in result.output


def test_little_known_gives_a_plain_starting_list(tmp_path: Path) -> None:
    doc = yaml.safe_load((PERSONAS / "legal_blocked.yaml").read_text(encoding="utf-8"))
    kept = {"org_name", "org_kind", "org_region", "org_population", "goal_touchpoints"}
    doc["answers"] = {q: (v if q in kept else "dont_know") for q, v in doc["answers"].items()}
    doc["answers"]["org_data_staff"] = 0
    path = tmp_path / "unknowns.yaml"
    for _ in range(5):  # "don't know" hides follow-up questions: drop what the form would hide
        try:
            parse_assessment_input(yaml.safe_dump(doc), "unknowns.yaml")
            break
        except InputError as err:
            for p in err.problems:
                if "hidden" in p.message:
                    doc["answers"].pop(p.field.removeprefix("answers."), None)
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["assess", str(path)])
    assert result.exit_code == 0, result.output
    assert "So little is known that the first step is finding out" in result.output
    assert "Starting list (vendors to explore" in result.output
    assert problems("advisor assess, little known", result.output.splitlines()) == []
