"""Limits stated in a question are data the bank checks: at most N options of a multiple
question, and a number's minimum."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor.answers import value_problem
from advisor.questionnaire import Question, load_questionnaire

BANK = load_questionnaire()


def test_up_to_five_touchpoints() -> None:
    question = BANK.question("goal_touchpoints")
    assert question is not None
    assert question.max == 5
    ids = [o.id for o in question.options]
    assert value_problem(question, ids[:5]) is None
    assert value_problem(question, ids[:7]) == "pick at most 5; 7 are picked"


def test_a_budget_below_nothing_is_refused() -> None:
    question = BANK.question("con_budget")
    assert question is not None
    assert value_problem(question, -5) == "-5 is below the minimum 0"
    assert value_problem(question, 5) is None


def test_a_multiple_limit_must_fit_the_options() -> None:
    options = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]
    with pytest.raises(ValidationError, match="max"):
        Question.model_validate(
            {"id": "q", "type": "multiple", "text": "Which?", "options": options, "max": 3}
        )
    with pytest.raises(ValidationError, match="no min"):
        Question.model_validate(
            {"id": "q", "type": "multiple", "text": "Which?", "options": options, "min": 1}
        )
    ok = Question.model_validate(
        {"id": "q", "type": "multiple", "text": "Which?", "options": options, "max": 1}
    )
    assert value_problem(ok, ["a", "b"]) == "pick at most 1; 2 are picked"
