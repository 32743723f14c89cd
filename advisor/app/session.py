"""Per-browser-session state: set once in the entrypoint, read by the pages.

Everything per user lives in ``st.session_state`` (never in module globals or
``st.cache_resource``). ``init`` sets the keys once with ``setdefault``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from advisor.app.resources import Knowledge, database, knowledge
from advisor.app.ui import escape_markdown
from advisor.errors import InputError
from advisor.reporting.theme import Theme
from advisor.services.kb_revisions import live_revision
from advisor.services.permissions import Action, Principal, allowed
from advisor.services.report_themes import saved_theme

DEFAULTS: dict[str, Any] = {
    "principal": None,  # the signed-in user (a service-layer Principal), or None
    "assessment_id": None,  # the assessment being worked on (council lead, consultant)
    "flash": None,  # a one-off message for the next page (e.g. after signing in)
    "report_theme": None,  # a consultant's own report theme (kept with the account)
    "report_theme_loaded": False,  # whether the kept theme has been read this session
}


def init() -> None:
    """Set every session key once (the entrypoint calls this on each rerun)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def principal() -> Principal | None:
    """The signed-in user, or None."""
    value = st.session_state.get("principal")
    return value if isinstance(value, Principal) else None


def require_principal() -> Principal:
    """The signed-in user; stops the page with a message if nobody is signed in."""
    who = principal()
    if who is None:
        st.warning("Please sign in first.")
        st.stop()
    return who


def report_theme() -> Theme | None:
    """The consultant's report theme: the one kept with the account, read once per session."""
    if not st.session_state.get("report_theme_loaded"):
        who = principal()
        theme = None
        if who is not None and allowed(who, Action.report_theme_keep):
            try:
                theme = saved_theme(database(), who)
            except InputError:  # a kept theme that no longer passes the checks is not used
                theme = None
        st.session_state["report_theme"] = theme
        st.session_state["report_theme_loaded"] = True
    value = st.session_state.get("report_theme")
    return value if isinstance(value, Theme) else None


def current_knowledge() -> Knowledge:
    """The live knowledge base (its revision read from the store on every rerun)."""
    return knowledge(live_revision(database()))


def flash(message: str) -> None:
    """Keep a message to show on the next page."""
    st.session_state["flash"] = message


def show_flash() -> None:
    """Show and forget the pending message, if any."""
    message = st.session_state.get("flash")
    if message:
        st.success(escape_markdown(message))
        st.session_state["flash"] = None
