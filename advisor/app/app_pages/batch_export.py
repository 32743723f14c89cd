"""Consultant: export the reports of several assessments at once, with progress."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database, settings
from advisor.app.session import current_knowledge, report_theme, require_principal
from advisor.app.ui import escape_markdown
from advisor.jobs.queues import job_queue
from advisor.services.assessments import SUBMITTED, list_assessments, record_report_export
from advisor.services.report_jobs import batch_download, batch_status, start_batch

who = require_principal()
db = database()
know = current_knowledge()

st.title("Batch export")
done = list_assessments(db, who, status=SUBMITTED)
if not done:
    st.info("No submitted assessment to export yet.")
    st.stop()
labels = {a.id: a.label for a in done}
picked = st.multiselect(
    "Assessments", options=list(labels), format_func=lambda i: labels[i], key="batch_pick"
)
formats = {"pdf": "PDF", "html": "HTML", "json": "JSON", "csv": "CSV"}
fmt = st.radio(
    "Format", list(formats), format_func=lambda f: formats[f], horizontal=True, key="batch_format"
)
theme = report_theme()
st.caption(
    "Reports use your own theme." if theme else "Reports use the default theme (see Report theme)."
)

queue = job_queue(settings())


@st.fragment(run_every=1.0)
def _follow(batch_id: str) -> None:
    """The batch's progress: only this part reruns while the reports are made."""
    status = batch_status(db, who, batch_id, queue)
    if status.finished:
        st.rerun(scope="app")
    st.progress(status.done / status.total, text=status.words())


if st.button("Export", key="batch_run", type="primary", disabled=not picked):
    items = [know.assessed(db, who, i) for i in picked]
    st.session_state["batch_job"] = start_batch(db, who, items, know.kb, fmt, queue, theme)
    st.session_state.pop("batch_archive", None)
    st.rerun()

batch = st.session_state.get("batch_job")
ready = st.session_state.get("batch_archive")
if batch is not None and ready is None:
    status = batch_status(db, who, batch, queue)
    if not status.finished:
        _follow(batch)
    else:
        archive = batch_download(db, who, batch)
        for assessment_id in status.done_assessments:
            record_report_export(db, who, assessment_id, fmt, archive.filename, archive.data)
        st.session_state["batch_archive"] = ready = archive
if ready is not None:
    final = batch_status(db, who, batch, queue) if batch is not None else None
    if final is not None:
        st.success(f"{final.done} of {final.total} reports are ready.")
        for name, why in final.failed:
            st.error(f"{escape_markdown(name)}: {escape_markdown(why)}")
    st.download_button(
        f"Download {ready.filename}",
        data=ready.data,
        file_name=ready.filename,
        mime=ready.mime,
        key="batch_download",
    )
