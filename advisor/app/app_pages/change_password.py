"""Everyone: change your own password (and, after a one-time password, choose your own)."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database, settings
from advisor.app.session import flash, require_principal
from advisor.app.ui import problems
from advisor.errors import InputError
from advisor.services.accounts import change_password, must_change_password
from advisor.vocabulary import Role

LABELS = {
    "current password": "Current password",
    "new password": "New password",
    "password": "New password",
}

HOME = {
    Role.council: "app_pages/wizard.py",
    Role.consultant: "app_pages/clients.py",
    Role.vendor: "app_pages/vendor_entry.py",
    Role.curator: "app_pages/review_queue.py",
}
"""Where each role goes on once its one-time password is replaced."""

who = require_principal()
db = database()
if st.session_state.pop("password_chosen", False):  # the whole navigation is back: go on
    flash("Your password is changed.")  # shown on the page it goes on to
    st.switch_page(HOME[who.role])

st.title("Change password")
forced = who.user_id is not None and must_change_password(db, who.user_id)
if forced:
    st.warning(
        "You signed in with a one-time password. Choose your own password to go on; "
        "the one-time password then stops working."
    )
with st.form("password_form", clear_on_submit=False):
    current = st.text_input(
        "Current password" + (" (the one-time password)" if forced else ""),
        type="password",
        key="password_current",
        autocomplete="current-password",
    )
    new = st.text_input(
        "New password (at least 12 characters)",
        type="password",
        key="password_new",
        autocomplete="new-password",
    )
    again = st.text_input(
        "Type the new password again",
        type="password",
        key="password_again",
        autocomplete="new-password",
    )
    submitted = st.form_submit_button("Change password", type="primary")
if submitted:
    if new != again:
        st.error("Type the new password again: the two new passwords differ.")
    else:
        try:
            change_password(db, who, settings(), current, new)
        except InputError as exc:
            problems(exc, labels=LABELS)
        else:
            flash("Your password is changed.")
            st.session_state["password_chosen"] = forced
            st.rerun()
