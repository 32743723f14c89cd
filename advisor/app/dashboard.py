"""The results dashboard: how a Recommendation is shown. Display only; every figure comes in.

Used by the results page (an assessment) and by the consultant's quick profile. Every sentence
shown here was worded by ``advisor.explaining`` (the items' ``why``, the roadmap's ``actions``,
the confidence and the cautions); this module only lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.ui import bullets, escape_markdown, note_box, plain, ranked
from advisor.evidence import AnswerRef
from advisor.explaining import SEVERITY_WORDS, confidence_note, say, sensitivity_said
from advisor.kb.graph import FRAMEWORK_NAMES
from advisor.recommendation import (
    BarrierItem,
    CaseStudyItem,
    DeliveryModelItem,
    PeerItem,
    Reason,
    Recommendation,
    VendorItem,
)
from advisor.vocabulary import AREA_NAMES, ORG_KIND_NAMES, FrameworkId, OrgKind, TechnologyAreaId
from advisor.wording import upper_first

SEVERITY_NAMES = SEVERITY_WORDS
"""Barrier severities 0-4 in words (as the reasons say them)."""


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


def answer_said(answer: AnswerRef) -> str:
    """One answer as the reasons word it: 'You answered "Weeks" to "How long ..."'."""
    return say(Reason(kind="answer", answers=[answer]))


def basis_said(what: str, answered: int, unknown: int, by_hand: bool) -> str:
    """How many answers a figure rests on, as the reasons word it."""
    figures: dict[str, str | int | bool] = {
        "what": what,
        "answered": answered,
        "unknown": unknown,
        "by_hand": by_hand,
    }
    return say(Reason(kind="figure_basis", figures=dict(figures)))


def to_find_out(rec: Recommendation) -> list[str]:
    """The questions answered "don't know" (or, for a profile written by hand, its own list)."""
    refs = rec.profile.answer_refs
    if refs:
        return list(dict.fromkeys(a.text for a in refs.values() if a.unknown))
    return list(rec.profile.find_out)


def maturity_section(rec: Recommendation, *, key: str) -> None:
    """The maturity chart and its table."""
    st.subheader("Maturity by technology area")
    st.caption(f"Overall {rec.maturity.overall:.1f} of 5. Levels run from 1 to 5.")
    frame = maturity_frame(rec)
    # A Vega-Lite specification as data: built as an Altair chart, every draw would also be
    # checked against the whole Vega-Lite schema, a fair share of the page's CPU time.
    chart = {
        "mark": {"type": "bar"},
        "height": 260,
        "encoding": {
            "x": {
                "field": "Level",
                "type": "quantitative",
                "scale": {"domain": [0, 5]},
                "axis": {"tickCount": 5},
            },
            "y": {
                "field": "Technology area",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 280},
            },
            "tooltip": [
                {"field": "Technology area", "type": "nominal"},
                {"field": "Level", "type": "quantitative"},
                {"field": "Level name", "type": "nominal"},
            ],
        },
    }
    st.vega_lite_chart(frame, chart, width="stretch")
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_maturity_table")


def evidence_section(rec: Recommendation) -> None:
    """What each area's level rests on: the questions as asked and the answers given."""
    shown = [
        (AREA_NAMES[area], rec.profile.evidence.get(f"maturity.{area.value}"))
        for area in TechnologyAreaId
    ]
    if not any(ev is not None for _, ev in shown):
        return
    with st.expander("What each level rests on"):
        for name, ev in shown:
            if ev is None:
                continue
            basis = basis_said("level", ev.answered, ev.unknown, ev.by_hand)
            st.markdown(f"**{escape_markdown(name)}**: {escape_markdown(basis)}")
            bullets([answer_said(a) for a in ev.answers])


def confidence_section(rec: Recommendation) -> None:
    """How sure the advice is (a box when it is fair or low), then the cautions."""
    conf = rec.confidence
    if conf is not None:
        heading, details = confidence_note(conf.level, conf.reasons)
        if conf.level == "low":
            note_box("warning", heading, details)
        elif conf.level == "fair":
            note_box("info", heading, details)
        else:
            st.caption(escape_markdown(" ".join(f"{line}." for line in details)))
    if rec.cautions_said:
        note_box("warning", "Before you act", rec.cautions_said)
    if rec.silo_warning:
        st.warning(escape_markdown(rec.silo_warning))


def _model_details(item: DeliveryModelItem) -> None:
    if item.what_it_takes:
        st.markdown("**What it takes**")
        bullets(item.what_it_takes)


def _framework_name(framework: str) -> str:
    try:
        return FRAMEWORK_NAMES[FrameworkId(framework)]
    except ValueError:
        return framework


def _vendor_details(item: VendorItem) -> None:
    facts = ["a small or medium-sized enterprise (SME)" if item.sme else "a large company"]
    if item.frameworks:
        names = ", ".join(_framework_name(f) for f in item.frameworks)
        facts.append(f"can be bought through {names}")
    plain(upper_first("; ".join(facts)), bold_prefix="About:")
    if item.offerings:
        st.markdown("**Offerings that cover your gaps**")
        bullets(item.offerings)
    if item.website:
        plain(item.website, bold_prefix="Website:")


def _case_details(item: CaseStudyItem) -> None:
    if item.bodies:
        plain(", ".join(item.bodies), bold_prefix="Led by:")


def _peer_details(item: PeerItem) -> None:
    facts = []
    if item.kind and item.kind != OrgKind.other.value and item.kind in set(OrgKind):
        facts.append(upper_first(ORG_KIND_NAMES[OrgKind(item.kind)]))
    if item.region:
        facts.append(item.region)
    if facts:
        plain(", ".join(facts), bold_prefix="Body:")


def _barrier(item: BarrierItem, *, expanded: bool) -> None:
    label = SEVERITY_NAMES.get(item.severity, str(item.severity))
    title = f"{escape_markdown(item.name)}: {label} ({item.severity} of 4)"
    with st.expander(title, expanded=expanded):
        bullets(item.why)
        if not item.mitigations:
            return
        st.markdown("**Ways past it that have worked elsewhere**")
        for m in item.mitigations:
            with st.container(border=True):
                st.markdown(f"#### {escape_markdown(m.name)}")
                if m.description:
                    plain(m.description)
                if m.actions:
                    st.markdown("**What to do**")
                    bullets(m.actions)
                if m.why:
                    st.caption(
                        "Why it is suggested: " + escape_markdown(" ".join(f"{w}." for w in m.why))
                    )


def show_recommendation(rec: Recommendation, *, key: str) -> None:
    """The whole dashboard: how sure it is and the cautions, then tabs for each part."""
    body = rec.profile.organisation.name
    st.markdown(f"## Results for {escape_markdown(body)}")
    confidence_section(rec)
    starting = rec.confidence is not None and rec.confidence.starting_list
    tabs = st.tabs(
        [
            "Maturity",
            "Delivery models",
            "Gaps",
            "Barriers",
            "Starting list" if starting else "Vendors",
            "Case studies",
            "Peers",
            "Procurement",
            "Roadmap",
        ]
    )
    with tabs[0]:
        maturity_section(rec, key=key)
        evidence_section(rec)
        find_out = to_find_out(rec)
        if find_out:
            st.markdown('**Things to find out** (you answered "don\'t know")')
            bullets(find_out)
    with tabs[1]:
        best = rec.delivery_models[0] if rec.delivery_models else None
        if best is not None and best.recommended:
            st.success(f"Recommended: {escape_markdown(best.name)}")
        elif best is not None:
            st.warning(
                f"No delivery model fits clearly yet: the closest is "
                f"{escape_markdown(best.name)} ({best.score:.0%}). Settle the barriers first."
            )
        ranked(
            rec.delivery_models,
            key=f"{key}_models",
            empty="No delivery model fits yet.",
            details=_model_details,
        )
    with tabs[2]:
        ranked(rec.gaps, key=f"{key}_gaps", empty="No gaps: every area is at the top level.")
    with tabs[3]:
        if not rec.barriers:
            st.info("No barrier stands out.")
        for rank, item in enumerate(rec.barriers):
            _barrier(item, expanded=rank == 0)
    with tabs[4]:
        if starting:
            note_box(
                "info",
                "Starting list: vendors to explore while you find out more, not a recommendation",
            )
        ranked(
            rec.vendors,
            key=f"{key}_vendors",
            empty="No vendor covers your top gaps.",
            details=_vendor_details,
        )
        if rec.near_misses:
            st.markdown("**Close, but not on the list**")
            for miss in rec.near_misses:
                with st.expander(escape_markdown(miss.name)):
                    bullets(miss.why_not)
                    if miss.why:
                        st.markdown("**What it would offer**")
                        bullets(miss.why)
        if rec.sensitivity is not None:
            st.caption(
                escape_markdown(
                    sensitivity_said(rec.sensitivity.stable, rec.sensitivity.changed_by) + "."
                )
            )
    with tabs[5]:
        ranked(
            rec.case_studies,
            key=f"{key}_cases",
            empty="No case study is close enough.",
            details=_case_details,
        )
    with tabs[6]:
        ranked(rec.peers, key=f"{key}_peers", empty="No peer body found.", details=_peer_details)
    with tabs[7]:
        if not rec.procurement_routes:
            st.info("No procurement route is known for this spend.")
        for i, route in enumerate(rec.procurement_routes):
            with st.expander(
                f"{'Recommended: ' if i == 0 else ''}{escape_markdown(route.name)}",
                expanded=i == 0,
            ):
                plain(route.threshold, bold_prefix="When it applies:")
                plain(route.source, bold_prefix="Source:")
                st.markdown("**Why**")
                bullets(route.why)
    with tabs[8]:
        for stage in rec.roadmap:
            st.markdown(f"**{escape_markdown(stage.name)}** ({escape_markdown(stage.months)})")
            if stage.why:
                st.caption(escape_markdown(" ".join(f"{w}." for w in stage.why)))
            bullets(stage.actions)
