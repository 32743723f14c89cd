"""Sign in with email and password (throttled by the accounts service)."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database, settings
from advisor.app.session import flash
from advisor.services.accounts import sign_in
from advisor.services.errors import SignInRefused, SignInThrottled

st.title("Service Maturity Advisor")
st.write(
    "Assess how ready your organisation is to build data services, see what would help, "
    "and find who has done it before. Please sign in."
)

with st.form("sign_in_form"):
    email = st.text_input("Email", key="sign_in_email", autocomplete="username")
    password = st.text_input(
        "Password", type="password", key="sign_in_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    if not email.strip():
        st.error("Email: please enter your email address.")
    elif not password:
        st.error("Password: please enter your password.")
    else:
        try:
            who = sign_in(database(), settings(), email, password, source="app")
        except (SignInRefused, SignInThrottled) as exc:
            st.error(str(exc).capitalize())
        else:
            st.session_state["user_id"] = who.user_id
            flash(f"Signed in as {who.email}.")
            st.rerun()
