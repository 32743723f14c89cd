"""Curator: every account with its role, body, last sign-in and state; add people, reset a
password, switch an account off or on."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.resources import database, settings
from advisor.app.session import flash, require_principal
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.services.accounts import add_person, list_users, reset_password, set_active
from advisor.services.organisations import list_organisations
from advisor.vocabulary import Role

ROLE_WORDS = {
    Role.council: "Council staff",
    Role.consultant: "Consultant",
    Role.vendor: "Vendor",
    Role.curator: "Curator",
}
LABELS = {"email": "Email address", "role": "Role", "organisations": "Acts for"}

who = require_principal()
db = database()

st.title("People")
shown = st.session_state.pop("people_one_time", None)
if shown:
    email, password = shown
    st.success(
        escape_markdown(
            f"One-time password for {email}. Give it to them privately; it is shown only "
            "now, and they choose their own password when they first sign in."
        )
    )
    st.code(password, language=None)

users = list_users(db, who)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Email": u.email,
                "Role": ROLE_WORDS[u.role],
                "Acts for": ", ".join(u.organisation_names),
                "Last sign-in": (
                    u.last_sign_in_at.strftime("%d %b %Y %H:%M") if u.last_sign_in_at else "Never"
                ),
                "State": (
                    "Switched off"
                    if not u.active
                    else "Must choose a password"
                    if u.must_change_password
                    else "Active"
                ),
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
    key="people_table",
)

orgs = list_organisations(db, who)
with st.expander("Add a person", expanded=len(users) <= 1):
    role = st.selectbox(
        "Role", list(ROLE_WORDS), format_func=lambda r: ROLE_WORDS[r], key="people_add_role"
    )
    if role is Role.vendor:
        choices = [o for o in orgs if o.kind == "vendor"]
    elif role in (Role.council, Role.consultant):
        choices = [o for o in orgs if o.is_body]
    else:
        choices = []
    names = {o.id: o.name for o in choices}
    body: str | None = None
    if role is Role.curator:
        st.caption("A curator acts for no body.")
    elif not choices:
        st.info("Register the body first, on the Bodies page.")
    else:
        options: list[str | None] = list(names)
        if role is Role.consultant:
            options = [None, *options]
        body = st.selectbox(
            "Acts for",
            options,
            format_func=lambda i: "No body yet" if i is None else names[i],
            key="people_add_body",
        )
    email = st.text_input("Email address", max_chars=254, key="people_add_email")
    if st.button("Add the person", key="people_add", type="primary"):
        try:
            user, password = add_person(
                db, who, settings(), email=email, role=role, organisation=body
            )
        except InputError as exc:
            problems(exc, labels=LABELS)
        else:
            st.session_state["people_one_time"] = (user.email, password)
            flash(f"Added {user.email}.")
            st.rerun()

others = [u for u in users if u.id != who.user_id]
if others:
    st.subheader("Manage an account")
    by_id = {u.id: u for u in others}
    picked = st.selectbox(
        "Account",
        list(by_id),
        format_func=lambda i: f"{by_id[i].email} ({ROLE_WORDS[by_id[i].role]})",
        key="people_pick",
    )
    account = by_id[picked]
    c1, c2 = st.columns(2)
    if c1.button("Reset password", key="people_reset"):
        new_password = reset_password(db, who, settings(), account.id)
        st.session_state["people_one_time"] = (account.email, new_password)
        flash(f"{account.email} has a new one-time password; their open sessions ended.")
        st.rerun()
    if account.active:
        if c2.button("Switch off", key="people_off"):
            set_active(db, who, account.id, False)
            flash(f"{account.email} is switched off: they cannot sign in, their sessions ended.")
            st.rerun()
    elif c2.button("Switch on", key="people_on"):
        set_active(db, who, account.id, True)
        flash(f"{account.email} can sign in again.")
        st.rerun()
