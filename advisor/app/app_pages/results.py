"""Results of a submitted assessment: the dashboard and the report downloads."""

from __future__ import annotations

import time

import streamlit as st

from advisor.app.dashboard import show_recommendation
from advisor.app.market_view import show_market
from advisor.app.resources import database, knowledge, settings
from advisor.app.session import current_knowledge, flash, report_theme, require_principal
from advisor.app.ui import bullets, escape_markdown, pick_assessment
from advisor.jobs.queues import job_queue
from advisor.jobs.records import QUEUED
from advisor.recommendation import Recommendation
from advisor.services.assessments import (
    SUBMITTED,
    history,
    list_assessments,
    mark_advice_seen,
    record_report_export,
)
from advisor.services.report_jobs import JobView, report_job, start_report
from advisor.services.what_if import advice_shift


def advice_changes(assessment_id: int, now: Recommendation) -> None:
    """Since its owner last saw the advice, approved knowledge-base changes altered it: say
    what changed, and let the owner refresh the report to the new advice."""
    summary = next((a for a in done if a.id == assessment_id), None)
    seen = summary.advice_revision if summary is not None else None
    if summary is None or seen is None or seen >= know.revision:
        return
    then = knowledge(seen)
    before = then.assessed(db, who, assessment_id)
    changes = advice_shift(before.recommendation, now)
    if not changes:
        return
    with st.container(border=True):
        st.markdown("**The advice has changed since you last looked**")
        st.write(
            "The knowledge base was updated with approved changes, and the advice for these "
            "answers is now different:"
        )
        bullets(changes)
        if summary.author_id in (None, who.user_id):
            if st.button("Refresh the report with the new advice", key="results_refresh"):
                mark_advice_seen(db, who, assessment_id, know.revision)
                st.session_state.pop("results_prepared", None)
                flash("The report now follows the new advice.")
                st.rerun()
        else:
            st.caption("The person who started the assessment can refresh the report.")


who = require_principal()
db = database()
know = current_knowledge()

st.title("Results")
done = list_assessments(db, who, status=SUBMITTED)
if not done:
    st.info("No submitted assessment yet. Finish the assessment to see results here.")
    st.stop()

picked = pick_assessment(done, "Assessment", key="results_pick")
earlier = history(db, who, picked)
if earlier:
    st.caption(
        "Earlier versions, each kept with its result: "
        + "; ".join(
            escape_markdown(e.title)
            + (f", submitted {e.submitted_at:%d %b %Y %H:%M}" if e.submitted_at else "")
            for e in earlier
        )
    )

result = know.assessed(db, who, picked)
advice_changes(picked, result.recommendation)
show_recommendation(result.recommendation, key="results")
show_market(result.recommendation, key="results")

FOLLOW_SECONDS = 1.5
"""How often the page looks at a report being prepared that was not ready within the click's
own run."""
FOLLOW_QUEUED_SECONDS = 3.0
"""How often it looks at one still waiting in the queue: then the queue is busy, and many
people are waiting for theirs at once."""
WAIT_IN_CLICK_SECONDS = 2.5
"""How long the run of the click itself waits for its report before handing over to the
follow-up part: a PDF is usually ready within it, and is then shown without another run."""
WAIT_SLICE_SECONDS = 0.5
"""The click's run waits in slices this long, so that a click elsewhere still takes over."""
FORMATS = {"pdf": "PDF (board-ready)", "html": "HTML (web page)", "json": "JSON (data)"}


def _wait_briefly(job_id: str) -> JobView:
    """Wait in this run for a job that is nearly always quick, saying how it stands. The
    queue wakes the wait as soon as a worker is done with the job, so waiting costs no CPU;
    the line is redrawn after each slice, so a click elsewhere still takes over. How the
    job stands at the end."""
    line = st.empty()
    started = time.monotonic()
    view = report_job(db, who, job_id, queue)
    while not view.finished and (left := WAIT_IN_CLICK_SECONDS - (time.monotonic() - started)) > 0:
        line.info(f"{view.words} ({view.seconds + time.monotonic() - started:.0f} s so far)")
        if queue.wait(job_id, min(WAIT_SLICE_SECONDS, left)):
            # a worker is done with an attempt: the report, its failure, or a retry, which
            # the follow-up part follows (the queue would wake every wait for it at once)
            view = report_job(db, who, job_id, queue)
            break
    line.empty()
    return view


def _follow(job_id: str, wanted: tuple[int, str, int], queued: bool) -> None:
    @st.fragment(run_every=FOLLOW_QUEUED_SECONDS if queued else FOLLOW_SECONDS)
    def follow() -> None:
        """Queued, being prepared, then done: only this part reruns while the report is made,
        and the whole page once more when it is done (holding the report already)."""
        view = report_job(db, who, job_id, queue)
        if view.download is not None:
            st.session_state["results_prepared"] = (wanted, view.download)
        if view.finished:
            st.rerun(scope="app")
        st.info(f"{view.words} ({view.seconds:.0f} s so far)")

    follow()


@st.fragment
def report_part() -> None:
    """Choosing a format, preparing the report and downloading it rerun only this part of
    the page: the advice above is not drawn again for each click."""
    st.subheader("Download the report")
    fmt = st.radio(
        "Format",
        options=list(FORMATS),
        format_func=lambda f: FORMATS[f],
        horizontal=True,
        key="results_format",
    )
    prepared = st.session_state.get("results_prepared")
    asked = st.session_state.get("results_job")
    wanted = (picked, fmt, know.revision)
    if prepared is None or prepared[0] != wanted:
        button_slot = st.empty()
        waited: JobView | None = None
        if (asked is None or asked[0] != wanted) and button_slot.button(
            f"Prepare the {fmt.upper()} report", key="results_prepare", type="primary"
        ):
            # followed in this same run: no rerun of the whole page between the click and the job
            asked = (wanted, start_report(db, who, result, know.kb, fmt, queue, report_theme()))
            st.session_state["results_job"] = asked
            button_slot.empty()
            waited = _wait_briefly(asked[1])
        if asked is not None and asked[0] == wanted:
            view = waited or report_job(db, who, asked[1], queue)
            if view.download is not None:
                prepared = (wanted, view.download)
                st.session_state["results_prepared"] = prepared
            elif view.finished:
                st.error(view.words)
                if st.button("Prepare it again", key="results_again"):
                    del st.session_state["results_job"]
                    st.rerun(scope="fragment")
            else:
                _follow(asked[1], wanted, queued=view.state == QUEUED)
    if prepared is not None and prepared[0] == wanted:
        download = prepared[1]

        def _record() -> None:
            record_report_export(db, who, picked, download.format, download.filename, download.data)

        st.download_button(
            f"Download {escape_markdown(download.filename)}",
            data=download.data,
            file_name=download.filename,
            mime=download.mime,
            key="results_download",
            on_click=_record,
            type="primary",
        )


queue = job_queue(settings())
report_part()
