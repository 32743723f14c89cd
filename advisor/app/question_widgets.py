"""One input per question of the bank, with "don't know", a note and its inline error.

Widgets are keyed ``wizard_q_<question id>`` (the answer), ``wizard_dk_<id>`` (don't know,
for inputs that cannot offer it as a choice) and ``wizard_note_<id>``. A widget's accessible
name (Streamlit's aria-label, its whole label) names its question: the note and the "cannot
answer" choice show a short caption and keep the question in a label that is not shown. The
answer is read back from the widget as a plain bank value; checking it is
``advisor.answers.value_problem``.
"""

from __future__ import annotations

import streamlit as st

from advisor.answers import AnswerEntry, value_problem
from advisor.app.ui import escape_markdown
from advisor.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    AnswerValue,
    Question,
    QuestionType,
)

DONT_KNOW_LABEL = "Don't know"
NOT_APPLICABLE_LABEL = "Not applicable"
NOTE_LABEL = "Note or evidence (optional)"
FLAG_LABEL = "If you cannot give an answer"


def _reserved(question: Question) -> list[str]:
    return [DONT_KNOW, *([NOT_APPLICABLE] if question.allow_na else [])]


def _choice_label(question: Question, value: object) -> str:
    if value == DONT_KNOW:
        return DONT_KNOW_LABEL
    if value == NOT_APPLICABLE:
        return NOT_APPLICABLE_LABEL
    if question.type is QuestionType.scale:
        number = int(value)  # type: ignore[call-overload]
        meaning = question.labels.get(number)
        return f"{number}: {meaning}" if meaning else str(number)
    option = question.option(str(value))
    return option.label if option else str(value)


def _flag(question: Question, current: AnswerValue | None, disabled: bool) -> AnswerValue | None:
    """Don't know / not applicable as a choice beside inputs that hold a value of their own.

    Its visible label is short; the name a screen reader gives it (Streamlit's aria-label is
    the whole label) also says which question it belongs to.
    """
    choices = _reserved(question)
    known = current if current in choices else None
    st.caption(FLAG_LABEL)
    picked = st.radio(
        f"{FLAG_LABEL}: {question.text}",
        options=["answer", *choices],
        index=(["answer", *choices].index(str(known)) if known else 0),
        format_func=lambda v: "I can answer" if v == "answer" else _choice_label(question, v),
        horizontal=True,
        key=f"wizard_dk_{question.id}",
        disabled=disabled,
        label_visibility="collapsed",
    )
    return None if picked == "answer" else picked


def question_input(
    question: Question, entry: AnswerEntry | None, *, disabled: bool = False
) -> AnswerEntry:
    """Show the question's input; return the answer as it now stands (value may be None)."""
    current = entry.value if entry else None
    key = f"wizard_q_{question.id}"
    label = question.text
    value: AnswerValue | None
    if question.type in (QuestionType.single, QuestionType.scale):
        options: list[object] = (
            [o.id for o in question.options]
            if question.type is QuestionType.single
            else list(range(int(question.min or 0), int(question.max or 0) + 1))
        )
        options += _reserved(question)
        picked = st.radio(
            label,
            options=options,
            index=options.index(current) if current in options else None,
            format_func=lambda v: _choice_label(question, v),
            horizontal=question.type is QuestionType.scale,
            help=question.help,
            key=key,
            disabled=disabled,
        )
        value = picked  # type: ignore[assignment]
    else:
        flag_value = current if current in _reserved(question) else None
        if question.type is QuestionType.multiple:
            # no max_selections: changing it would reset the widget; a pick over the
            # question's limit gets the message below and is not saved
            default = current if isinstance(current, list) else []
            chosen = st.multiselect(
                label,
                options=[o.id for o in question.options],
                default=default,
                format_func=lambda v: _choice_label(question, v),
                help=question.help,
                key=key,
                disabled=disabled,
            )
            value = list(chosen) or None
        elif question.type is QuestionType.number:
            number = st.number_input(
                label + (f" ({question.unit})" if question.unit else ""),
                value=float(current) if isinstance(current, int | float) else None,
                # no min_value/max_value: the widget would keep an out-of-range number in the
                # field without a word; the question's limits are checked below, with a message
                step=1.0,
                format="%g",
                help=question.help,
                key=key,
                disabled=disabled,
                placeholder="Type a number",
            )
            value = (
                (int(number) if float(number).is_integer() else number)
                if number is not None
                else None
            )
        else:
            text = st.text_area(
                label,
                value=current
                if isinstance(current, str) and current not in _reserved(question)
                else "",
                max_chars=4000,
                help=question.help,
                key=key,
                disabled=disabled,
                height=80,
            )
            value = text.strip() or None
        flagged = _flag(question, flag_value, disabled)
        if flagged is not None:
            value = flagged
    st.caption(NOTE_LABEL)
    note = st.text_input(
        f"{NOTE_LABEL} for: {question.text}",
        value=entry.note or "" if entry else "",
        max_chars=4000,
        key=f"wizard_note_{question.id}",
        disabled=disabled,
        label_visibility="collapsed",
    )
    answer = AnswerEntry(
        value=value,
        note=note.strip() or None,
        evidence=entry.evidence if entry else None,
    )
    if value is not None and (problem := value_problem(question, value)):
        st.error(f"{escape_markdown(question.text)}: {escape_markdown(problem)}")
    return answer
