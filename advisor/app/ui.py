"""Small widgets every page shares. No rules here: only how things are shown.

User and vendor text is never rendered as HTML: it goes through ``plain`` (markdown with every
markup character escaped) or into ``st.dataframe`` / ``st.text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import networkx as nx
import pandas as pd
import streamlit as st

from advisor.errors import InputError
from advisor.recommendation import RankedItem
from advisor.services.assessments import AssessmentSummary
from advisor.services.entry_changes import Change

R = TypeVar("R", bound=RankedItem)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
# Where Streamlit's markdown (GitHub's autolink literals) would start a link of its own: a web
# address (http://, https://, www.) or the @ of an email address. Escaping does not stop it; the
# link is found in the text after escapes are read, and only when the character before it is a
# space, punctuation or nothing. An invisible word joiner there (a format character, neither)
# leaves the text looking the same and no link.
_AUTOLINK_START = re.compile(r"(?=https?://|www\.|@)", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def escape_markdown(text: str) -> str:
    """Text made inert for st.markdown, labels and message boxes: links (written or bare
    addresses), images, HTML and emphasis all shown as the characters they are."""
    unlinked = _AUTOLINK_START.sub(_WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked)


def plain(text: str, *, bold_prefix: str | None = None) -> None:
    """Show untrusted text as plain prose (optionally after a bold label of our own)."""
    body = escape_markdown(text)
    st.markdown(f"**{bold_prefix}** {body}" if bold_prefix else body)


def bullet_text(lines: Sequence[str]) -> str:
    """Untrusted lines as the markdown of a bulleted list (for a box of its own)."""
    return "\n".join(f"- {escape_markdown(line)}" for line in lines)


def bullets(lines: Sequence[str]) -> None:
    """A bulleted list of untrusted lines."""
    if lines:
        st.markdown(bullet_text(lines))


def note_box(kind: str, heading: str, lines: Sequence[str] = ()) -> None:
    """A coloured box (``warning``, ``info`` or ``success``): a bold heading, then bullets."""
    body = f"**{escape_markdown(heading)}**"
    if lines:
        body += "\n\n" + bullet_text(lines)
    getattr(st, kind)(body)


def field_label(field: str, labels: Mapping[str, str]) -> str:
    """A field path (``goals[2]``, ``constraints.budget_gbp``) by the label its form shows: its
    own, or the nearest enclosing field's."""
    path = field
    while path:
        if path in labels:
            return labels[path]
        path = re.sub(r"(\[\d+\]|\.[^.\[]+)$", "", path)
        if path == field:
            break
    return labels.get("", field or "This form")


def problems(
    error: InputError, *, where: str | None = None, labels: Mapping[str, str] | None = None
) -> None:
    """Show every problem of an InputError inline, each naming its field (by the form's label
    for it, when ``labels`` gives one)."""
    lines = []
    for p in error.problems:
        field = field_label(p.field, labels) if labels is not None else p.field or "(form)"
        lines.append(f"{field}: {p.message}")
    heading = f"Please correct {where}:" if where else "Please correct the following:"
    st.error(heading + "\n\n" + "\n".join(f"- {escape_markdown(line)}" for line in lines))


def field_errors(error: InputError) -> dict[str, str]:
    """Problems keyed by field, for showing each under its own input."""
    out: dict[str, str] = {}
    for p in error.problems:
        out.setdefault(p.field, p.message)
    return out


def ranked(
    items: Sequence[R],
    *,
    key: str,
    empty: str,
    limit: int = 10,
    details: Callable[[R], None] | None = None,
) -> None:
    """A ranked list: each item a collapsible row with its score, its reasons (why) and any
    ``details`` the caller shows for it."""
    if not items:
        st.info(empty)
        return
    for rank, item in enumerate(items[:limit], start=1):
        tie = ", a near tie with the one above" if item.tie else ""
        title = f"{rank}\\. {escape_markdown(item.name)} (score {item.score:.2f}{tie})"
        with st.expander(title, expanded=rank == 1):
            if item.why:
                st.markdown("**Why**")
                bullets(item.why)
            else:
                st.caption("No reasons recorded.")
            if details is not None:
                details(item)
    if len(items) > limit:
        st.caption(f"{len(items) - limit} more not shown.")


def changes_table(changes: Sequence[Change], *, key: str) -> None:
    """What a proposed change changes, one row per field, in the form's words."""
    if not changes:
        st.caption("No change to the entry.")
        return
    st.dataframe(
        pd.DataFrame(
            [{"what": c.field, "before": c.before, "after": c.after} for c in changes],
            columns=["what", "before", "after"],
        ),
        hide_index=True,
        width="stretch",
        key=key,
    )


def name_in(graph: nx.MultiDiGraph) -> Callable[[str, str], str]:
    """Names of knowledge-base entries by kind and id, as the knowledge graph labels them."""

    def name_of(kind: str, ref: str) -> str:
        key = f"{kind}:{ref}"
        return str(graph.nodes[key]["label"]) if key in graph else ref

    return name_of


def side_menu(pages: Mapping[str, Sequence[st.Page]]) -> None:
    """The pages of the navigation as links in the sidebar. Streamlit's own menu nests <div>s
    in its list, which screen readers cannot read as a list (axe-core: a serious violation)."""
    for section, group in pages.items():
        if section:
            st.sidebar.markdown(f"**{escape_markdown(section)}**")
        for page in group:
            st.sidebar.page_link(page, label=page.title, icon=page.icon or None)


def signed_in_caption(name: str, role: str) -> None:
    """Who is signed in, in the sidebar: plain text, so the address reads (and copies) exactly
    as it is and is no mailto link."""
    st.sidebar.text(f"Signed in as {name} ({role})")


def pick_assessment(done: Sequence[AssessmentSummary], label: str, *, key: str) -> int:
    """One assessment from a list, remembering the choice across pages (``assessment_id``)."""
    labels = {a.id: a.label for a in done}
    current = st.session_state.get("assessment_id")
    picked = st.selectbox(
        label,
        options=list(labels),
        index=list(labels).index(current) if current in labels else 0,
        format_func=lambda i: labels[i],
        key=key,
    )
    st.session_state["assessment_id"] = picked
    return int(picked)


PAGE_STYLE = """<style>
/* Text at least 4.5:1 on white: captions, help and the sidebar's labels are faded by default
   (text colour at 60% opacity, about 3.9:1); #4f5663 at full opacity is 7.4:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stSidebarNavSeparator"],
[data-testid="stNavSectionHeader"], [data-testid="stMetricDelta"],
[data-testid="stTooltipIcon"] { color: #4f5663 !important; opacity: 1 !important; }
/* A clearly visible focus ring (#1d4e89 is 9:1 on white), on every control the keyboard
   reaches, including radio buttons and checkboxes whose own input is hidden. */
:focus-visible { outline: 3px solid #1d4e89 !important; outline-offset: 2px !important; }
label:has(input:focus-visible), [role="radio"]:focus-visible,
[data-baseweb="select"]:focus-within, [data-baseweb="input"]:focus-within,
[data-baseweb="textarea"]:focus-within {
  outline: 3px solid #1d4e89 !important; outline-offset: 2px !important;
  border-radius: 4px;
}
</style>"""
"""The app's own style: contrast and focus rules Streamlit's theme does not set."""


def page_style() -> None:
    """Add the app's style to the page (a style-only block takes no room)."""
    st.html(PAGE_STYLE)
