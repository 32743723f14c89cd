"""Consultant: compare two or more assessments side by side (chart and tables)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, require_principal
from advisor.services.assessments import SUBMITTED, list_assessments
from advisor.services.comparison import Compared, compare

who = require_principal()
db = database()
know = current_knowledge()

st.title("Compare assessments")
st.write("Pick two or more: different clients, or the same body at different times.")
done = list_assessments(db, who, status=SUBMITTED)
labels = {a.id: a.label for a in done}
picked = st.multiselect(
    "Assessments to compare",
    options=list(labels),
    format_func=lambda i: labels[i],
    key="compare_pick",
)
if len(picked) < 2:
    st.info("Choose at least two assessments.")
    st.stop()

items = []
for assessment_id in picked:
    assessed = know.assessed(db, who, assessment_id)
    summary = assessed.assessment.summary
    label = f"{assessed.recommendation.profile.organisation.name}, {summary.updated_at:%d %b %Y}"
    items.append(Compared(label, assessed.recommendation))
result = compare(items)

st.header("Maturity by technology area")
maturity = pd.DataFrame(result.maturity).set_index("figure")
st.bar_chart(maturity.drop(index="Overall"), horizontal=True, stack=False, y_label="", height=420)
st.dataframe(maturity, width="stretch", key="compare_maturity")
st.header("Barriers (0 none to 4 blocking)")
st.dataframe(
    pd.DataFrame(result.barriers).set_index("figure"),
    width="stretch",
    key="compare_barriers",
)
st.header("Advice")
st.dataframe(
    pd.DataFrame(result.advice).set_index("figure"),
    width="stretch",
    key="compare_advice",
)
