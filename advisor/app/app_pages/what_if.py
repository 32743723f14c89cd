"""What if: move a maturity level or a barrier and see how the advice shifts (nothing saved)."""

from __future__ import annotations

import streamlit as st

from advisor.app.dashboard import SEVERITY_NAMES
from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import bullets, escape_markdown, note_box, pick_assessment
from advisor.matching import match_profile
from advisor.services.app_support import recommendation_for
from advisor.services.assessments import SUBMITTED, get_assessment, list_assessments, record_profile
from advisor.services.what_if import adjusted_profile, advice_shift
from advisor.vocabulary import AREA_NAMES, BarrierId, TechnologyAreaId

who = require_principal()
db = database()
know = current_knowledge()

st.title("What if")
st.write(
    "Try a different maturity level or barrier severity and see how the advice would change. "
    "Nothing is saved unless you ask."
)
done = list_assessments(db, who, status=SUBMITTED)
if not done:
    st.info("No submitted assessment yet. Finish the assessment first.")
    st.stop()
picked = pick_assessment(done, "Start from", key="whatif_pick")
base = recommendation_for(
    db, who, picked, know.index, know.matching, know.revision, know.questionnaire
)
profile = base.recommendation.profile

left, right = st.columns(2)
with left:
    st.markdown("**Maturity levels** (1 to 5)")
    maturity = {
        area.value: st.slider(
            AREA_NAMES[area],
            min_value=1,
            max_value=5,
            value=profile.maturity.get(area),
            key=f"whatif_{picked}_m_{area.value}",
        )
        for area in TechnologyAreaId
    }
with right:
    st.markdown("**Barriers** (0 no concern to 4 blocking)")
    barriers = {
        barrier.value: st.select_slider(
            barrier.value.capitalize(),
            options=list(SEVERITY_NAMES),
            value=profile.barriers.get(barrier),
            format_func=lambda v: f"{v} {SEVERITY_NAMES[v]}",
            key=f"whatif_{picked}_b_{barrier.value}",
        )
        for barrier in BarrierId
    }

changed = adjusted_profile(profile, maturity, barriers)
after = match_profile(changed, know.index, know.matching)
shift = advice_shift(base.recommendation, after)

st.subheader("How the advice shifts")
if not shift:
    st.info("With these changes the advice stays the same.")
else:
    bullets(shift)

best = after.delivery_models[0] if after.delivery_models else None
if best is not None:
    st.markdown(
        f"**Best-fitting delivery model:** {escape_markdown(best.name)} (fit {best.score:.0%})"
    )
    bullets(best.why)
if after.cautions_said:
    note_box("warning", "Before you act", after.cautions_said)
starting = after.confidence is not None and after.confidence.starting_list
st.markdown("**Starting list of vendors:**" if starting else "**Vendor shortlist:**")
bullets([f"{v.name} (score {v.score:.2f})" for v in after.vendors[:5]])

if shift:
    st.divider()
    view = get_assessment(db, who, picked)
    title = st.text_input(
        "Title for the saved scenario",
        value=f"{view.summary.title}: what if",
        max_chars=200,
        key="whatif_title",
    )
    if st.button("Save this scenario as a new assessment", key="whatif_save"):
        saved = record_profile(db, who, view.summary.organisation_id, title, changed)
        st.session_state["assessment_id"] = saved.id
        flash(f"Saved as “{saved.summary.title}”.")
        st.rerun()
