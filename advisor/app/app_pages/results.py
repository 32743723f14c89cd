"""Results of a submitted assessment: the dashboard and the report downloads."""

from __future__ import annotations

import streamlit as st

from advisor.app.dashboard import show_recommendation
from advisor.app.resources import database
from advisor.app.session import current_knowledge, report_theme, require_principal
from advisor.app.ui import escape_markdown, pick_assessment
from advisor.services.app_support import recommendation_for, report_download
from advisor.services.assessments import SUBMITTED, list_assessments, record_report_export

who = require_principal()
db = database()
know = current_knowledge()

st.title("Results")
done = list_assessments(db, who, status=SUBMITTED)
if not done:
    st.info("No submitted assessment yet. Finish the assessment to see results here.")
    st.stop()

picked = pick_assessment(done, "Assessment", key="results_pick")

result = recommendation_for(
    db, who, picked, know.index, know.matching, know.revision, know.questionnaire
)
show_recommendation(result.recommendation, key="results")

st.subheader("Download the report")
formats = {"pdf": "PDF (board-ready)", "html": "HTML (web page)", "json": "JSON (data)"}
fmt = st.radio(
    "Format",
    options=list(formats),
    format_func=lambda f: formats[f],
    horizontal=True,
    key="results_format",
)
prepared = st.session_state.get("results_prepared")
wanted = (picked, fmt, know.revision)
if prepared is None or prepared[0] != wanted:
    if st.button(f"Prepare the {fmt.upper()} report", key="results_prepare", type="primary"):
        with st.spinner("Preparing the report..."):
            download = report_download(result, know.kb, fmt, report_theme())
        st.session_state["results_prepared"] = (wanted, download)
        st.rerun()
else:
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
