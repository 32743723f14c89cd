"""The assessment wizard: section by section, with progress and skip logic.

Each answer is saved as it is given: every change reruns the page, and a run whose answers
differ from what the store holds saves them (a text box sends its text when the user leaves
it or presses Ctrl+Enter), through the version check that guards concurrent saves. Where the
user is (assessment and section) is kept with their response and with their signed-in
session, so a reload, a new tab or signing in again brings them back to it.
"""

from __future__ import annotations

import streamlit as st

from advisor.answers import AnswerEntry, Answers, completion, value_problem
from advisor.app.question_widgets import question_input
from advisor.app.resources import database
from advisor.app.session import (
    current_knowledge,
    finish_sign_out,
    flash,
    note_section,
    require_principal,
)
from advisor.app.ui import bullets, escape_markdown, problems
from advisor.errors import InputError
from advisor.services.app_support import (
    answers_of,
    assessable_bodies,
    colleagues,
    respondent_sections,
    resume_section,
)
from advisor.services.assessments import (
    DRAFT,
    body_answers,
    create_assessment,
    gaps_by_section,
    get_assessment,
    hand_back,
    invite_respondent,
    list_assessments,
    reopen_assessment,
    save_draft,
    submit_assessment,
)
from advisor.services.errors import ConflictError

TO_TOP = (
    "<script>for (const s of ['[data-testid=\"stMain\"]', '[data-testid=\"stAppViewContainer\"]'])"
    " {document.querySelector(s)?.scrollTo(0, 0);} window.scrollTo(0, 0);</script>"
)
"""Opens a new section at its top (the buttons that lead to it are at the bottom)."""


def _stored(answers: Answers | None) -> dict[str, object]:
    """Answers as the store keeps them (to tell whether anything changed since saving)."""
    if answers is None:
        return {}
    clean = {k: v for k, v in answers.answers.items() if v.value is not None or v.note}
    return {k: v.model_dump(mode="json", exclude_none=True) for k, v in clean.items()}


def _savable(entries: dict[str, AnswerEntry]) -> dict[str, AnswerEntry]:
    """What is saved: answers the question accepts (one it refuses shows its message and
    is not saved until put right), and notes."""
    kept: dict[str, AnswerEntry] = {}
    for qid, entry in entries.items():
        question = bank.question(qid)
        if (
            entry.value is not None
            and question is not None
            and value_problem(question, entry.value)
        ):
            entry = entry.model_copy(update={"value": None})
        if entry.value is not None or entry.note:
            kept[qid] = entry
    return kept


who = require_principal()
db = database()
know = current_knowledge()
bank = know.questionnaire

st.title("Assessment")


def _choose_assessment() -> None:
    """No assessment open: continue a draft, or start a new one."""
    st.write(bank.intro or "")
    drafts = list_assessments(db, who, status=DRAFT)
    if drafts:
        st.header("Continue where you left off")
        labels = {d.id: f"{d.title} (last saved {d.updated_at:%d %b %Y %H:%M})" for d in drafts}
        picked = st.selectbox(
            "Draft assessment",
            options=list(labels),
            format_func=lambda i: labels[i],
            key="wizard_resume_pick",
        )
        if st.button("Continue this assessment", key="wizard_resume", type="primary"):
            st.session_state["assessment_id"] = picked
            st.rerun()
    st.header("Start a new assessment")
    bodies = assessable_bodies(db, who)
    if not bodies:
        st.info("You do not act for any public body yet. Ask a curator to add you to one.")
        return
    names = {b.id: b.name for b in bodies}
    with st.form("wizard_new_form"):
        body = st.selectbox(
            "Organisation",
            options=list(names),
            format_func=lambda i: names[i],
            key="wizard_new_body",
        )
        title = st.text_input(
            "Title", value="Data services readiness", max_chars=200, key="wizard_new_title"
        )
        start = st.form_submit_button("Start", type="primary")
    if start:
        view = create_assessment(db, who, body, title, bank.version)
        st.session_state["assessment_id"] = view.id
        st.rerun()


def _open(new_id: int, message: str) -> None:
    st.session_state["assessment_id"] = new_id
    st.session_state["wizard_loaded"] = None
    flash(message)
    st.rerun()


def _reopen_choices() -> None:
    """A submitted assessment: change it as a new version, or start the next one from it."""
    st.header("Change it, or start the next one")
    st.write(
        "Reopening makes a new version for you to change and submit again; this one and its "
        "result stay in its history. Or start the next assessment with these answers filled in."
    )
    if st.button("Reopen as a new version", key="wizard_reopen"):
        new = reopen_assessment(db, who, view.id, bank.version)
        _open(new.id, "Reopened as a new version. The submitted one keeps its result.")
    title = st.text_input(
        "Title of the next assessment",
        value=f"{view.summary.title} (next)",
        max_chars=200,
        key="wizard_next_title",
    )
    if st.button("Start the next assessment from these answers", key="wizard_start_next"):
        new = reopen_assessment(db, who, view.id, bank.version, as_new_version=False, title=title)
        _open(new.id, f"Started “{new.summary.title}” with the answers filled in.")


def _confirm_submit() -> None:
    """Before submitting: what is still unanswered, by section, and a last yes or no."""
    latest = get_assessment(db, who, view.id)
    gaps = gaps_by_section(latest, bank)
    with st.container(border=True):
        st.header("Before you submit")
        if gaps:
            count = sum(len(g.questions) for g in gaps)
            st.warning(
                f"{count} question{'s have' if count != 1 else ' has'} no answer yet. The "
                "advice is less sure where answers are missing."
            )
            for gap in gaps:
                st.markdown(f"**{escape_markdown(gap.title)}**")
                bullets(list(gap.questions))
        else:
            st.write("Every question has an answer.")
        waiting = [
            r.respondent or "a colleague"
            for r in latest.responses
            if r.sections and r.handed_back_at is None and r.respondent_id != who.user_id
        ]
        if waiting:
            st.info(
                "Not handed back yet by: "
                + ", ".join(escape_markdown(w) for w in waiting)
                + ". Their answers so far are included."
            )
        yes, no = st.columns(2)
        label = "Submit with these gaps" if gaps else "Submit now"
        if yes.button(label, key="wizard_submit_confirm", type="primary"):
            try:
                submit_assessment(db, who, view.id, latest.version, bank, know.scoring)
            except InputError as exc:
                problems(exc, where="these answers before submitting")
            else:
                st.session_state["wizard_loaded"] = None
                st.session_state["wizard_confirm"] = None
                flash("Assessment submitted. Here are your results.")
                st.switch_page("app_pages/results.py")
        if no.button("Keep answering", key="wizard_submit_cancel"):
            st.session_state["wizard_confirm"] = None
            st.rerun()


assessment_id = st.session_state.get("assessment_id")
if assessment_id is None:
    _choose_assessment()
    st.stop()

view = get_assessment(db, who, int(assessment_id))
if view.status != DRAFT:
    finish_sign_out()
    st.success(f"“{escape_markdown(view.summary.title)}” has been submitted.")
    if st.button("See the results", key="wizard_to_results", type="primary"):
        st.switch_page("app_pages/results.py")
    if view.owned_by(who.user_id):
        _reopen_choices()
    if st.button("Open another assessment", key="wizard_close"):
        st.session_state["assessment_id"] = None
        st.rerun()
    st.stop()

# the working copy of my answers: loaded once per assessment, saved whenever it changes
mine = view.response_of(who.user_id)
sections = respondent_sections(bank, mine.sections if mine else ())
section_ids = [s.id for s in sections]
if st.session_state.get("wizard_loaded") != view.id:
    st.session_state["wizard_loaded"] = view.id
    # what the store knows of the body (name, kind, region) is filled in, not asked again
    facts = body_answers(db, who, view.summary.organisation_id, bank, know.scoring)
    st.session_state["wizard_facts"] = facts
    st.session_state["wizard_answers"] = {
        **(dict(mine.answers.answers) if mine else {}),
        **facts,
    }
    st.session_state["wizard_seen"] = mine.version if mine else 0
    st.session_state["wizard_saved"] = _stored(mine.answers if mine else None)
    # back where this user was: this session's section, else where they last saved
    wanted = st.session_state.get("restore_section") or (mine.last_section if mine else None)
    st.session_state["restore_section"] = None
    st.session_state["wizard_section"] = (
        section_ids.index(wanted)
        if wanted in section_ids
        else resume_section(
            bank, sections, mine.answers if mine else Answers(questionnaire_version=bank.version)
        )
    )
working: dict[str, AnswerEntry] = st.session_state["wizard_answers"]

conflict = st.session_state.get("wizard_conflict")
if conflict:
    # someone (or this user in another tab) saved first: nothing was overwritten
    st.error(escape_markdown(conflict))
    if st.button("Reload the saved answers", key="wizard_reload", type="primary"):
        st.session_state["wizard_conflict"] = None
        st.session_state["wizard_loaded"] = None
        st.rerun()

index = min(int(st.session_state["wizard_section"]), len(sections) - 1)
section = sections[index]
note_section(view.id, section.id)
if st.session_state.pop("wizard_to_top", False):
    st.html(TO_TOP, unsafe_allow_javascript=True)

st.caption(escape_markdown(view.summary.title))
if view.summary.reopened:
    st.caption("A new version: the one submitted before keeps its result in Results.")
progress = st.empty()  # filled in below, once this run's answers are known
st.header(section.title)
if section.intro:
    st.write(section.intro)

known: dict[str, AnswerEntry] = st.session_state.get("wizard_facts") or {}
told = [q for q in section.questions if q.id in known and known[q.id].value is not None]
if told:
    st.info(
        "From the advisor's record of your organisation, so not asked here: "
        + "; ".join(
            escape_markdown(q.describe(known[q.id].value))  # type: ignore[arg-type]
            for q in told
        )
        + ". A curator can correct the record."
    )
for question in section.questions:
    # skip logic reads earlier answers only, so each question sees this run's edits above it
    current = {k: e.value for k, e in working.items() if e.value is not None}
    if question.id in known or (
        question.show_if is not None and question not in bank.visible(current)
    ):
        continue
    working[question.id] = question_input(question, working.get(question.id))
    st.divider()
visible_now = {
    q.id for q in bank.visible({k: e.value for k, e in working.items() if e.value is not None})
}
for hidden in [k for k in working if k not in visible_now]:
    del working[hidden]  # hidden by skip logic: its answer no longer counts
done = completion(answers_of(bank.version, working), bank)
progress.progress(done / 100, text=f"Section {index + 1} of {len(sections)} · {done:.0f}% answered")


def _save(section_id: str | None = None) -> bool:
    """Save my answers (and, given, the section I move to); False when the save was refused
    (the reason shown)."""
    clean = _savable(working)
    try:
        saved = save_draft(
            db,
            who,
            view.id,
            answers_of(bank.version, clean),
            int(st.session_state["wizard_seen"]),
            section=section_id,
        )
    except ConflictError as exc:
        st.session_state["wizard_conflict"] = str(exc)
        st.rerun()
    except InputError as exc:
        problems(exc)
        return False
    st.session_state["wizard_seen"] = saved.version
    st.session_state["wizard_saved"] = _stored(saved.answers)
    return True


def _move_to(new_index: int) -> None:
    if _save(section_ids[new_index]):
        st.session_state["wizard_section"] = new_index
        st.session_state["wizard_to_top"] = True
        st.rerun()


# each answer is saved as it is given (and before signing out)
unsaved = _stored(answers_of(bank.version, _savable(working))) != st.session_state["wizard_saved"]
saved_now = not unsaved or (not conflict and _save(section.id))
if saved_now:
    finish_sign_out()
st.caption("Every answer is saved as you give it." if saved_now else "Not saved yet.")

cols = st.columns(3)
if index > 0 and cols[0].button("Back", key="wizard_back"):
    _move_to(index - 1)
if index < len(sections) - 1:
    if cols[1].button("Save and continue", key="wizard_next", type="primary"):
        _move_to(index + 1)
elif view.owned_by(who.user_id):
    if cols[1].button("Submit the assessment", key="wizard_submit", type="primary") and _save(
        section.id
    ):
        st.session_state["wizard_confirm"] = view.id
        st.rerun()
elif cols[1].button("Hand back my sections", key="wizard_hand_back", type="primary") and _save(
    section.id
):
    hand_back(db, who, view.id)
    st.session_state["assessment_id"] = None
    st.session_state["wizard_loaded"] = None
    owner = view.author or "the person who started it"
    flash(f"Handed back to {owner}. Thank you: your answers are in.")
    st.rerun()
if cols[2].button("Save and finish later", key="wizard_later") and _save(section.id):
    st.session_state["assessment_id"] = None
    st.session_state["wizard_loaded"] = None
    flash("Saved. Pick this assessment from the list to carry on.")
    st.rerun()

if st.session_state.get("wizard_confirm") == view.id:
    _confirm_submit()

invited = [r for r in view.responses if r.respondent_id != view.summary.author_id]
if view.owned_by(who.user_id) and invited:
    st.markdown("**Colleagues asked to answer**")
    titles_of = {s.id: s.title for s in bank.sections}
    bullets(
        [
            f"{r.respondent or 'A former colleague'}: "
            + (", ".join(titles_of.get(x, x) for x in r.sections) or "every section")
            + (
                f" (handed back {r.handed_back_at:%d %b %Y %H:%M})"
                if r.handed_back_at
                else " (still answering)"
            )
            for r in invited
        ]
    )
if view.owned_by(who.user_id):
    with st.expander("Invite a colleague to answer some sections"):
        people = colleagues(db, who, view.summary.organisation_id)
        if not people:
            st.caption("Nobody else works for this organisation in the advisor yet.")
        else:
            emails = dict(people)
            person = st.selectbox(
                "Colleague",
                options=list(emails),
                format_func=lambda i: emails[i],
                key="wizard_invite_who",
            )
            titles = {s.id: s.title for s in bank.sections}
            chosen = st.multiselect(
                "Sections they should answer (none: all)",
                options=list(titles),
                format_func=lambda s: titles[s],
                key="wizard_invite_sections",
            )
            if st.button("Invite", key="wizard_invite"):
                invite_respondent(db, who, view.id, person, chosen)
                st.success(f"Invited {escape_markdown(emails[person])}.")
