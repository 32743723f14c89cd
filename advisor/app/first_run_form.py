"""The first page on a store with no account yet: the person who started the server creates
the first curator with the one-time set-up code the terminal shows."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from advisor.app.resources import database, settings
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.services.permissions import Principal
from advisor.services.setup import needs_first_curator
from advisor.services.setup_code import (
    SetupCodeRefused,
    create_first_curator_with_code,
    setup_code_waiting,
)

LABELS = {
    "email": "Your email address",
    "password": "Choose a password",
}


def first_run(sign_in_as: Callable[[Principal], None]) -> bool:
    """On a store with no curator: show the set-up form (and stop the page); else False."""
    db = database()
    if not needs_first_curator(db):
        if st.session_state.pop("first_run_code", None):  # this tab sent a code meanwhile used
            st.warning(
                "That set-up code was used already: a curator account exists now. Sign in "
                "with it, or ask that curator to add you."
            )
        return False
    config = settings()
    st.subheader("Set up the advisor")
    st.write(
        "There is no account yet. The person who started the advisor can create the first "
        "account here: a curator account, which then adds bodies and people."
    )
    if not setup_code_waiting(config.data_dir):
        st.info(
            "No set-up code is waiting. Stop the advisor and start it again with "
            "'make run' (or 'advisor serve'): the terminal then shows a new set-up code."
        )
        st.stop()
    st.write(
        "The terminal where the advisor was started shows a one-time set-up code. "
        "It works once, and only while the advisor keeps running."
    )
    with st.form("first_run_form"):
        code = st.text_input("Set-up code (from the terminal)", key="first_run_code")
        email = st.text_input(LABELS["email"], key="first_run_email", autocomplete="username")
        password = st.text_input(
            LABELS["password"] + " (at least 12 characters)",
            type="password",
            key="first_run_password",
            autocomplete="new-password",
        )
        again = st.text_input(
            "Type the password again",
            type="password",
            key="first_run_again",
            autocomplete="new-password",
        )
        submitted = st.form_submit_button("Create the curator account", type="primary")
    if submitted:
        if not code.strip():
            st.error("Set-up code: please copy it from the terminal.")
        elif not email.strip():
            st.error("Your email address: please enter it.")
        elif password != again:
            st.error("Type the password again: the two passwords differ.")
        else:
            try:
                who = create_first_curator_with_code(
                    db, config, config.data_dir, code, email, password
                )
            except SetupCodeRefused as exc:
                st.error(escape_markdown(str(exc).capitalize()))
            except InputError as exc:
                problems(exc, labels=LABELS)
            else:
                sign_in_as(who)
                st.session_state["flash"] = (
                    f"Your curator account {who.email} is ready. Next, register the bodies "
                    "and add the people who use the advisor."
                )
                st.rerun()
    st.stop()
    return True  # not reached: st.stop ends the run
