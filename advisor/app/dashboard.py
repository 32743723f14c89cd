"""The results dashboard: how a Recommendation is shown. Display only; every figure comes in.

Used by the results page (an assessment) and by the consultant's quick profile.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from advisor.app.ui import bullets, escape_markdown, plain, ranked
from advisor.recommendation import Recommendation
from advisor.vocabulary import AREA_NAMES, TechnologyAreaId

SEVERITY_NAMES = {0: "none", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}


def maturity_frame(rec: Recommendation) -> pd.DataFrame:
    """Maturity per technology area as a table (also the chart's data)."""
    rows = []
    for area in TechnologyAreaId:
        level = rec.maturity.areas.get(area.value, 1)
        rows.append(
            {
                "Technology area": AREA_NAMES[area],
                "Level": level,
                "Level name": rec.maturity.level_names.get(area.value, ""),
                "Next level": rec.maturity.next_level.get(area.value, "(top level)"),
            }
        )
    return pd.DataFrame(rows)


def maturity_section(rec: Recommendation, *, key: str) -> None:
    """The maturity chart and its table."""
    st.subheader("Maturity by technology area")
    st.caption(f"Overall {rec.maturity.overall:.1f} of 5. Levels run from 1 to 5.")
    frame = maturity_frame(rec)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Level:Q", scale=alt.Scale(domain=[0, 5]), axis=alt.Axis(tickCount=5)),
            y=alt.Y("Technology area:N", sort=None, title=None, axis=alt.Axis(labelLimit=280)),
            tooltip=["Technology area", "Level", "Level name"],
        )
        .properties(height=260)
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_maturity_table")


def show_recommendation(rec: Recommendation, *, key: str) -> None:
    """The whole dashboard in tabs: maturity, models, gaps, vendors, cases, peers, buying, plan."""
    body = rec.profile.organisation.name
    st.markdown(f"### Results for {escape_markdown(body)}")
    if rec.silo_warning:
        st.warning(rec.silo_warning)
    tabs = st.tabs(
        [
            "Maturity",
            "Delivery models",
            "Gaps",
            "Barriers",
            "Vendors",
            "Case studies",
            "Peers",
            "Procurement",
            "Roadmap",
        ]
    )
    with tabs[0]:
        maturity_section(rec, key=key)
        if rec.find_out:
            st.markdown('**Things to find out** (you answered "don\'t know")')
            bullets(rec.find_out)
    with tabs[1]:
        best = rec.delivery_models[0] if rec.delivery_models else None
        if best is not None and best.recommended:
            st.success(f"Recommended: {escape_markdown(best.name)}")
        elif best is not None:
            st.warning(
                f"No delivery model fits clearly yet: the closest is "
                f"{escape_markdown(best.name)} ({best.score:.0%}). Settle the barriers first."
            )
        ranked(rec.delivery_models, key=f"{key}_models", empty="No delivery model fits yet.")
    with tabs[2]:
        ranked(rec.gaps, key=f"{key}_gaps", empty="No gaps: every area is at the top level.")
    with tabs[3]:
        if not rec.barriers:
            st.info("No barrier stands out.")
        for item in rec.barriers:
            label = SEVERITY_NAMES.get(item.severity, str(item.severity))
            title = f"{escape_markdown(item.name)}: {label} ({item.severity} of 4)"
            with st.expander(title):
                bullets(item.why)
                if item.mitigations:
                    st.markdown("**What has worked elsewhere**")
                    bullets([f"{m.name}: {'; '.join(m.why)}" for m in item.mitigations])
    with tabs[4]:
        ranked(rec.vendors, key=f"{key}_vendors", empty="No vendor covers your top gaps.")
        if rec.near_misses:
            st.markdown("**Near misses** (ruled out by a constraint)")
            bullets([f"{n.name}: {'; '.join(n.why_not)}" for n in rec.near_misses])
        if rec.sensitivity is not None:
            st.caption(
                "The top three vendors stay the same when each weight moves by 10%."
                if rec.sensitivity.stable
                else "The top three vendors change when some weights move by 10%: "
                + ", ".join(rec.sensitivity.changed_by)
            )
    with tabs[5]:
        ranked(rec.case_studies, key=f"{key}_cases", empty="No case study is close enough.")
    with tabs[6]:
        ranked(rec.peers, key=f"{key}_peers", empty="No peer body found.")
    with tabs[7]:
        if not rec.procurement_routes:
            st.info("No procurement route is known for this spend.")
        for i, route in enumerate(rec.procurement_routes):
            with st.expander(
                f"{'Recommended: ' if i == 0 else ''}{escape_markdown(route.name)}",
                expanded=i == 0,
            ):
                plain(route.rule)
                plain(route.threshold, bold_prefix="Threshold:")
                plain(f"{route.valid_until}; source: {route.source}", bold_prefix="Valid until:")
                bullets(route.why)
    with tabs[8]:
        for stage in rec.roadmap:
            st.markdown(f"**{escape_markdown(stage.name)}** ({escape_markdown(stage.months)})")
            bullets(stage.actions)
