"""Small widgets every page shares. No rules here: only how things are shown.

User and vendor text is never rendered as HTML: it goes through ``plain`` (markdown with every
markup character escaped) or into ``st.dataframe`` / ``st.text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from advisor.errors import InputError
from advisor.recommendation import RankedItem
from advisor.services.assessments import AssessmentSummary

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


def problems(error: InputError, *, where: str | None = None) -> None:
    """Show every problem of an InputError inline, each naming its field."""
    lines = []
    for p in error.problems:
        field = p.field or "(form)"
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
   (about 3.9:1); #4f5663 is 7.4:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stSidebarNavSeparator"],
[data-testid="stNavSectionHeader"], [data-testid="stMetricDelta"],
[data-testid="stTooltipIcon"] { color: #4f5663 !important; }
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
