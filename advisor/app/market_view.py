"""The results page's market evidence: public contract awards in plain words, with links to
the notices on Contracts Finder and Find a Tender (and nowhere else)."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from advisor.app.ui import bullets, escape_markdown
from advisor.recommendation import Recommendation
from advisor.reporting.market import MarketRow, market_section

NOTICE_HOSTS = frozenset({"www.contractsfinder.service.gov.uk", "www.find-tender.service.gov.uk"})
"""The only places a notice link may point to."""


def notice_link(row: MarketRow) -> str:
    """The notice's link as markdown, when it points at one of the two notice services."""
    url = row.notice_url
    if url is None or urlsplit(url).hostname not in NOTICE_HOSTS or any(c in url for c in "()[] "):
        return ""
    return f" [{row.notice_label}]({url})"


def _rows(rows: list[MarketRow]) -> None:
    lines = []
    for row in rows:
        text = escape_markdown(row.said)
        if row.areas:
            text += f" (your need: {escape_markdown(row.areas)})"
        if row.not_reviewed:
            text += (
                f". Not yet reviewed by a curator: {escape_markdown(', '.join(row.not_reviewed))}"
            )
        lines.append(f"- {text}.{notice_link(row)}")
    st.markdown("\n".join(lines))


def show_market(rec: Recommendation, key: str) -> None:
    """Who bought what for this need, contracts ending soon and track records (if any)."""
    section = market_section(rec)
    if section is None:
        return
    with st.container(key=f"{key}_market"):
        st.subheader("What others bought: public contract awards")
        st.markdown(escape_markdown(section.intro))
        _rows(section.peers)
        if section.ending_soon:
            st.markdown(f"**{escape_markdown(section.ending_heading)}**")
            _rows(section.ending_soon)
        if section.track_records:
            st.markdown("**Who has won such contracts**")
            bullets(section.track_records)
        st.caption(escape_markdown(section.note))
