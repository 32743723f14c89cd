"""What if: move a maturity level or a barrier and see how the advice shifts.

Nothing is saved unless asked; a saved scenario is kept apart from assessments (only what it
changes), listed here with what it changed, and never opens in place of the real result.
"""

from __future__ import annotations

import streamlit as st

from advisor.app.dashboard import SEVERITY_NAMES
from advisor.app.resources import database
from advisor.app.session import current_knowledge, require_principal
from advisor.app.ui import bullets, escape_markdown, note_box, pick_assessment
from advisor.matching import match_profile
from advisor.services.assessments import SUBMITTED, get_assessment, list_assessments
from advisor.services.what_if import (
    ScenarioView,
    adjusted_profile,
    advice_shift,
    changed_only,
    changes_said,
    list_scenarios,
    save_scenario,
)
from advisor.vocabulary import AREA_NAMES, BarrierId, TechnologyAreaId

who = require_principal()
db = database()
know = current_knowledge()
barrier_names = {b.id.value: b.name for b in know.kb.barriers}

st.title("What if")
st.write(
    "Try a different maturity level or barrier severity and see how the advice would change. "
    "Nothing is saved unless you ask, and a saved scenario never replaces your results."
)
done = list_assessments(db, who, status=SUBMITTED)
if not done:
    st.info("No submitted assessment yet. Finish the assessment first.")
    st.stop()
picked = pick_assessment(done, "Start from", key="whatif_pick")
base = know.assessed(db, who, picked)
profile = base.recommendation.profile

# a scenario opened again sets the sliders: new widget keys, so they start from its values
round_ = int(st.session_state.get("whatif_round", 0))
opened: ScenarioView | None = st.session_state.get("whatif_opened")
if opened is not None and opened.assessment_id != picked:
    opened = None
start_m = {**profile.maturity.model_dump(), **(opened.maturity if opened else {})}
start_b = {**profile.barriers.model_dump(), **(opened.barriers if opened else {})}


def _key(kind: str, name: str) -> str:
    return (
        f"whatif_{picked}_{kind}_{name}"
        if not round_
        else f"whatif_{picked}_{round_}_{kind}_{name}"
    )


left, right = st.columns(2)
with left:
    st.markdown("**Maturity levels** (1 to 5)")
    maturity = {
        area.value: st.slider(
            AREA_NAMES[area],
            min_value=1,
            max_value=5,
            value=int(start_m[area.value]),
            key=_key("m", area.value),
        )
        for area in TechnologyAreaId
    }
with right:
    st.markdown("**Barriers** (0 no concern to 4 blocking)")
    barriers = {
        barrier.value: st.select_slider(
            barrier_names.get(barrier.value, barrier.value.capitalize()),
            options=list(SEVERITY_NAMES),
            value=int(start_b[barrier.value]),
            format_func=lambda v: f"{v} {SEVERITY_NAMES[v]}",
            key=_key("b", barrier.value),
        )
        for barrier in BarrierId
    }

changed = adjusted_profile(profile, maturity, barriers)
after = match_profile(changed, know.index, know.matching, market=know.market)
shift = advice_shift(base.recommendation, after)

st.header("How the advice shifts")
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

tried_m, tried_b = changed_only(profile, maturity, barriers)
this_one = (picked, sorted(tried_m.items()), sorted(tried_b.items()))
if tried_m or tried_b:
    st.divider()
    if st.session_state.get("whatif_saved") == this_one:
        st.success("This scenario is saved: it is listed below, apart from your assessments.")
    else:
        view = get_assessment(db, who, picked)
        title = st.text_input(
            "Title for the saved scenario",
            value=f"{view.summary.title}: what if",
            max_chars=200,
            key="whatif_title",
        )
        if st.button("Save this scenario", key="whatif_save"):
            save_scenario(db, who, picked, title, profile, maturity, barriers)
            st.session_state["whatif_saved"] = this_one
            st.rerun()


def _open(scenario: ScenarioView) -> None:
    st.session_state["whatif_opened"] = scenario
    st.session_state["whatif_round"] = round_ + 1
    st.session_state["whatif_saved"] = (
        scenario.assessment_id,
        sorted(scenario.maturity.items()),
        sorted(scenario.barriers.items()),
    )


st.header("Saved what-if scenarios")
st.caption(
    "Scenarios are kept apart from your assessments: your results always show the answers "
    "as submitted."
)
scenarios = list_scenarios(db, who, picked)
if not scenarios:
    st.write("None saved for this assessment yet.")
for scenario in scenarios:
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(scenario.title)}** (saved {scenario.created_at:%d %b %Y %H:%M}"
            + (f" by {escape_markdown(scenario.author)}" if scenario.author else "")
            + ")"
        )
        said = changes_said(profile, scenario.maturity, scenario.barriers, barrier_names)
        bullets(said or ["Nothing differs from the assessment as submitted."])
        st.button(
            "Try it again", key=f"whatif_open_{scenario.id}", on_click=_open, args=(scenario,)
        )
