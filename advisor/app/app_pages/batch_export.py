"""Consultant: export the reports of several assessments at once, with progress."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, report_theme, require_principal
from advisor.services.app_support import recommendation_for, report_archive
from advisor.services.assessments import SUBMITTED, list_assessments, record_report_export

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

if st.button("Export", key="batch_run", type="primary", disabled=not picked):
    bar = st.progress(0.0, text="Preparing reports...")
    items = [
        recommendation_for(db, who, i, know.index, know.matching, know.revision, know.questionnaire)
        for i in picked
    ]

    def _advance(count: int, total: int, name: str) -> None:
        bar.progress(count / total, text=f"{count} of {total} done ({name})")

    archive = report_archive(items, know.kb, fmt, theme, _advance)
    for item in items:
        record_report_export(db, who, item.assessment.id, fmt, archive.filename, archive.data)
    st.session_state["batch_archive"] = archive
    bar.progress(1.0, text=f"All {len(items)} reports are ready.")

ready = st.session_state.get("batch_archive")
if ready is not None:
    st.download_button(
        f"Download {ready.filename}",
        data=ready.data,
        file_name=ready.filename,
        mime=ready.mime,
        key="batch_download",
    )
