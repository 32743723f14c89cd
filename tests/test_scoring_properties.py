"""Properties of the bank and the scoring, over random answer sets (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from advisor.answers import Answers, answer_issues
from advisor.assessment_input import bundled_assessment, parse_assessment_input
from advisor.cli import app
from advisor.errors import InputError
from advisor.matching.delivery import assess_delivery
from advisor.matching.rules import load_matching_rules
from advisor.profile import Profile
from advisor.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    AnswerValue,
    Condition,
    Question,
    QuestionType,
)
from advisor.scoring import score_answers
from advisor.vocabulary import BarrierId, TechnologyAreaId
from advisor.yamlio import dump_yaml

BANK, RULES = bundled_assessment()
MATCHING = load_matching_rules()
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC-,.'", min_size=1, max_size=40).filter(
    lambda s: s.strip() and s.strip() not in (DONT_KNOW, NOT_APPLICABLE)
)


def upper_bound(q: Question) -> float:
    return q.max if q.max is not None else 1e9


def values_for(q: Question) -> st.SearchStrategy[AnswerValue]:
    """Any valid known answer to a question."""
    if q.type is QuestionType.single:
        return st.sampled_from([o.id for o in q.options])
    if q.type is QuestionType.multiple:
        plain = [o.id for o in q.options if not o.exclusive]
        alone = [[o.id] for o in q.options if o.exclusive]
        most = len(plain) if q.max is None else min(len(plain), int(q.max))
        subsets = st.lists(st.sampled_from(plain), min_size=1, max_size=most, unique=True)
        return st.one_of(subsets, st.sampled_from(alone)) if alone else subsets
    if q.type is QuestionType.scale:
        return st.integers(int(q.min or 0), int(q.max or 0))
    if q.type is QuestionType.number:
        lo, hi = q.min or 0.0, upper_bound(q)
        return st.one_of(st.integers(int(lo), int(hi)), st.floats(lo, hi, allow_nan=False))
    return WORDS


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, AnswerValue]:
    """Walk the bank in order: each question shown gets an answer, don't know, or nothing."""
    answers: dict[str, AnswerValue] = {}
    for q in BANK.questions():
        if q.show_if is not None and not q.show_if.holds(answers):
            continue
        kinds = ["answer", "answer", "answer", "answer", "dont_know", "skip"]
        kinds += ["not_applicable"] if q.allow_na else []
        kind = draw(st.sampled_from(kinds))
        if kind == "answer":
            answers[q.id] = draw(values_for(q))
        elif kind == "dont_know":
            answers[q.id] = DONT_KNOW
        elif kind == "not_applicable":
            answers[q.id] = NOT_APPLICABLE
    return answers


def to_answers(values: dict[str, Any]) -> Answers:
    return Answers.model_validate({"questionnaire_version": BANK.version, "answers": values})


def score(values: dict[str, Any]) -> Profile:
    return score_answers(to_answers(values), BANK, RULES)


@FAST
@given(answer_sets())
def test_random_valid_answers_load_and_score(values: dict[str, AnswerValue]) -> None:
    assert answer_issues(to_answers(values), BANK) == []
    text = dump_yaml({"questionnaire_version": BANK.version, "answers": values})
    result = parse_assessment_input(text, "random.yaml", BANK, RULES)
    profile = result.profile
    assert all(1 <= profile.maturity.get(a) <= 5 for a in TechnologyAreaId)
    assert all(0 <= profile.barriers.get(b) <= 4 for b in BarrierId)
    assert all(0 <= fit <= 1 for fit in assess_delivery(profile, MATCHING).fit.values())
    assert result.completion is not None
    assert 0 <= result.completion <= 100


@FAST
@given(answer_sets())
def test_scoring_is_deterministic(values: dict[str, AnswerValue]) -> None:
    first = score(values).model_dump(mode="json")
    assert score(dict(reversed(list(values.items())))).model_dump(mode="json") == first


def best_value(q: Question) -> AnswerValue:
    if q.type is QuestionType.single:
        return max(q.options, key=lambda o: o.score or 0.0).id
    if q.type is QuestionType.multiple:
        return [o.id for o in q.options if not o.exclusive]
    if q.type is QuestionType.scale:
        return int(q.max or 0)
    return max(b.at_least for b in q.bands)


def settle(values: dict[str, AnswerValue], before: set[str]) -> dict[str, AnswerValue]:
    """Drop answers the change hid; give newly shown scored questions their best answer."""
    out = dict(values)
    while True:
        shown = {q.id: q for q in BANK.visible(out)}
        out = {k: v for k, v in out.items() if k in shown}
        new = [q for qid, q in shown.items() if qid not in before and qid not in out and q.scored]
        if not new:
            return out
        for q in new:
            out[q.id] = best_value(q)


@FAST
@given(data=st.data())
def test_better_answers_never_lower_a_level(data: st.DataObject) -> None:
    values = data.draw(answer_sets())
    scored = [
        q
        for q in BANK.visible(values)
        if q.id in values and q.scored and q.favourability(values[q.id]) is not None
    ]
    assume(scored)
    q = data.draw(st.sampled_from(scored))
    current = q.favourability(values[q.id])
    assert current is not None
    better = data.draw(values_for(q).filter(lambda v: (q.favourability(v) or 0) >= current))
    before = {s.id for s in BANK.visible(values)}
    improved = settle({**values, q.id: better}, before)
    old, new = score(values), score(improved)
    for area in TechnologyAreaId:
        assert new.maturity.get(area) >= old.maturity.get(area), (area, q.id, better)
    for barrier in BarrierId:
        assert new.barriers.get(barrier) <= old.barriers.get(barrier), (barrier, q.id, better)


def witness(cond: Condition) -> dict[str, AnswerValue]:
    """Answers that make a condition true (and show every question it reads)."""
    if cond.any_of is not None:
        return witness(cond.any_of[0])
    if cond.all_of is not None:
        merged: dict[str, AnswerValue] = {}
        for sub in cond.all_of:
            merged |= witness(sub)
        return merged
    assert cond.question is not None
    target = BANK.question(cond.question)
    assert target is not None
    pick: AnswerValue
    if cond.at_least is not None:
        pick = int(cond.at_least) if target.type is QuestionType.scale else cond.at_least
    else:
        choice = cond.in_[0] if cond.in_ else str(cond.equals)
        pick = [choice] if target.type is QuestionType.multiple else choice
    upstream = witness(target.show_if) if target.show_if is not None else {}
    return {**upstream, cond.question: pick}


def test_every_question_is_reachable_by_some_answer_path() -> None:
    for q in BANK.questions():
        path = witness(q.show_if) if q.show_if is not None else {}
        assert q.id in {s.id for s in BANK.visible(path)}, q.id
        assert answer_issues(to_answers(path), BANK) == [], q.id


def test_every_area_and_barrier_is_scored_by_at_least_two_reachable_questions() -> None:
    for figures in (RULES.areas, RULES.barriers):
        assert set(figures) in (set(TechnologyAreaId), set(BarrierId))
        for figure, items in figures.items():
            questions = {w.question for w in items}
            assert len(questions) >= 2, figure
            for qid in questions:
                q = BANK.question(qid)
                assert q is not None
                assert q.scored, qid


def hidden_for(values: dict[str, AnswerValue]) -> list[Question]:
    shown = {q.id for q in BANK.visible(values)}
    return [q for q in BANK.questions() if q.id not in shown]


def wrong_value(q: Question) -> Any:
    """A value of the wrong type or out of range for the question."""
    if q.type is QuestionType.single:
        return "not_an_option"
    if q.type is QuestionType.multiple:
        return q.options[0].id  # a bare id where a list is due
    if q.type is QuestionType.scale:
        return int(q.max or 0) + 1
    if q.type is QuestionType.number:
        return (q.min or 0) - 1
    return ["a", "list"]


MUTATIONS = [
    "unknown_question",
    "wrong_value",
    "hidden",
    "boolean",
    "not_applicable",
    "unknown_key",
    "version",
    "nested",
]


def mutate(draw: st.DrawFn, values: dict[str, AnswerValue]) -> dict[str, Any]:
    doc: dict[str, Any] = {"questionnaire_version": BANK.version, "answers": dict(values)}
    answers = doc["answers"]
    kind = draw(st.sampled_from(MUTATIONS))
    shown = BANK.visible(values)
    no_na = [q for q in shown if not q.allow_na]
    if kind == "hidden" and hidden_for(values):
        q = draw(st.sampled_from(hidden_for(values)))
        answers[q.id] = draw(values_for(q))
    elif kind == "wrong_value":
        q = draw(st.sampled_from([q for q in shown if q.type is not QuestionType.text] or shown))
        answers[q.id] = wrong_value(q)
    elif kind == "boolean":
        answers[draw(st.sampled_from(shown)).id] = draw(st.booleans())
    elif kind == "not_applicable" and no_na:
        answers[draw(st.sampled_from(no_na)).id] = NOT_APPLICABLE
    elif kind == "unknown_key":
        doc["submitted_by"] = "someone"
    elif kind == "version":
        doc["questionnaire_version"] = "0.9"
    elif kind == "nested":
        answers[draw(st.sampled_from(shown)).id] = {"value": "x", "score": 5}
    else:
        answers["zz_" + draw(st.from_regex(r"[a-z]{3,8}", fullmatch=True))] = "x"
    return doc


@st.composite
def invalid_documents(draw: st.DrawFn) -> dict[str, Any]:
    return mutate(draw, draw(answer_sets()))


@FAST
@given(invalid_documents())
def test_random_invalid_answers_always_raise_input_error(doc: dict[str, Any]) -> None:
    with pytest.raises(InputError) as err:
        parse_assessment_input(dump_yaml(doc), "bad.yaml", BANK, RULES)
    assert err.value.problems
    assert all(p.file == "bad.yaml" and p.field for p in err.value.problems)


runner = CliRunner()


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(invalid_documents())
def test_random_invalid_answers_exit_2_on_the_command_line(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bad.yaml"
        path.write_text(dump_yaml(doc))
        result = runner.invoke(app, ["assess", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
