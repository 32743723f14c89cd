"""Per-browser-session state: set once in the entrypoint, read by the pages.

Everything per user lives in ``st.session_state`` (never in module globals or
``st.cache_resource``). ``init`` sets the keys once with ``setdefault``.

Signing in starts a session in the store (``advisor.services.sign_in_sessions``) whose token
the browser keeps in an HttpOnly cookie (``advisor.app.session_cookie``): a reload, a new tab
or a restarted server finds the user signed in again (``signed_in``), back on the page,
assessment and section they were on (``note_page``, ``note_section``). Signing out ends the
session in the store and has the browser drop the cookie; from the wizard it saves first.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from advisor.app.resources import Knowledge, database, knowledge
from advisor.app.session_cookie import COOKIE, clear_script, collect_script
from advisor.app.ui import escape_markdown
from advisor.errors import InputError
from advisor.reporting.theme import Theme
from advisor.services import sign_in_sessions
from advisor.services.accounts import principal_for
from advisor.services.errors import SignInRefused
from advisor.services.kb_revisions import live_revision
from advisor.services.permissions import Action, Principal, allowed
from advisor.services.report_themes import saved_theme

DEFAULTS: dict[str, Any] = {
    "principal": None,  # the signed-in user (a service-layer Principal), or None
    "assessment_id": None,  # the assessment being worked on (council lead, consultant)
    "flash": None,  # a one-off message for the next page (e.g. after signing in)
    "report_theme": None,  # a consultant's own report theme (kept with the account)
    "report_theme_loaded": False,  # whether the kept theme has been read this session
    "user_id": None,  # the signed-in account's id
    "sign_in_session_id": None,  # the store's session row this tab is signed in with
    "cookie_handover": None,  # a one-time code the browser still has to exchange for its cookie
    "cookie_clear": False,  # the browser still has to drop its cookie (just signed out)
    "sign_out_requested": False,  # sign out once the page has saved what it holds
    "restore_page": None,  # the page a restored session was on (for a tab opened at the root)
    "restore_section": None,  # the section a restored session was on
    "noted_place": None,  # the place last written to the store (written again only on change)
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


def _forget_user() -> None:
    st.session_state["user_id"] = None
    st.session_state["principal"] = None
    st.session_state["sign_in_session_id"] = None


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no request behind this run (tests): no cookie
        return None
    return value if isinstance(value, str) else None


def signed_in() -> Principal | None:
    """The signed-in user, reread from the store on every rerun (a switched-off account or
    an ended session stops at once); with nobody signed in in this tab, the session the
    browser's cookie names, if the store still honours it."""
    db = database()
    user_id = st.session_state.get("user_id")
    if user_id is not None:
        session_id = st.session_state.get("sign_in_session_id")
        if session_id is not None and not sign_in_sessions.session_live(
            db, int(session_id), int(user_id)
        ):
            _forget_user()
            return None
        try:
            who = principal_for(db, int(user_id))
        except SignInRefused:
            _forget_user()
            return None
        st.session_state["principal"] = who
        return who
    token = _cookie_token()
    if not token or st.session_state.get("cookie_clear"):
        st.session_state["principal"] = None
        return None
    restored = sign_in_sessions.restore(db, token)
    if restored is None:
        st.session_state["principal"] = None
        return None
    st.session_state["user_id"] = restored.principal.user_id
    st.session_state["sign_in_session_id"] = restored.session_id
    st.session_state["principal"] = restored.principal
    st.session_state["assessment_id"] = restored.place.assessment_id
    st.session_state["restore_page"] = restored.place.page
    st.session_state["restore_section"] = restored.place.section
    st.session_state["noted_place"] = (
        restored.place.page,
        restored.place.assessment_id,
        restored.place.section,
    )
    return restored.principal


def begin_session(who: Principal) -> None:
    """Sign this tab in as ``who`` and have the browser collect its session cookie."""
    start = sign_in_sessions.start_session(database(), who)
    st.session_state["user_id"] = who.user_id
    st.session_state["sign_in_session_id"] = start.session_id
    st.session_state["cookie_handover"] = start.handover_code
    st.session_state["cookie_clear"] = False


def _base_path() -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def cookie_scripts() -> None:
    """Have the browser collect its session cookie, or drop it, when one is due."""
    code = st.session_state.get("cookie_handover")
    if code:
        st.session_state["cookie_handover"] = None
        st.html(collect_script(str(code), _base_path()), unsafe_allow_javascript=True)
    if st.session_state.get("cookie_clear"):
        st.session_state["cookie_clear"] = False
        st.html(clear_script(_base_path()), unsafe_allow_javascript=True)


def request_sign_out() -> None:
    """The sign-out button's callback: the page saves what it holds, then ``sign_out``."""
    st.session_state["sign_out_requested"] = True


def sign_out_requested() -> bool:
    return bool(st.session_state.get("sign_out_requested"))


def sign_out() -> None:
    """End the session in the store, forget everything of this tab and drop the cookie."""
    session_id = st.session_state.get("sign_in_session_id")
    if session_id is not None:
        sign_in_sessions.end_session(database(), int(session_id))
    single_sign_on = bool(st.user.get("is_logged_in"))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    init()
    st.session_state["cookie_clear"] = True
    if single_sign_on:  # signed in through the identity provider: end that too
        st.logout()


def finish_sign_out() -> None:
    """Sign out now if it was asked for (the page has saved by the time it calls this)."""
    if sign_out_requested():
        sign_out()
        st.rerun()


def _note(page: str | None, assessment_id: int | None, section: str | None) -> None:
    session_id = st.session_state.get("sign_in_session_id")
    place = (page, assessment_id, section)
    if session_id is None or st.session_state.get("noted_place") == place:
        return
    sign_in_sessions.note_place(
        database(), int(session_id), page=page, assessment_id=assessment_id, section=section
    )
    st.session_state["noted_place"] = place


def note_page(page: str) -> None:
    """Remember the page this tab is on (keeping the assessment and section on the wizard)."""
    noted = st.session_state.get("noted_place") or (None, None, None)
    if noted[0] == page:
        return
    if page == "wizard":
        _note(page, noted[1], noted[2])
    else:
        _note(page, st.session_state.get("assessment_id"), None)


def note_section(assessment_id: int | None, section: str | None) -> None:
    """Remember the assessment and section the wizard shows."""
    _note("wizard", assessment_id, section)
