"""Sign in with email and password (throttled by the accounts service)."""

from __future__ import annotations

import streamlit as st

from advisor.app.first_run_form import first_run
from advisor.app.resources import database, settings
from advisor.app.session import begin_session, flash
from advisor.services.accounts import sign_in, sign_in_verified_email
from advisor.services.errors import SignInRefused, SignInThrottled

st.title("Service Maturity Advisor")
first_run(begin_session)  # no account yet: the set-up form instead (it stops the page)
st.write(
    "Assess how ready your organisation is to build data services, see what would help, "
    "and find who has done it before. Please sign in."
)


def _single_sign_on_ready() -> bool:
    """True when an OpenID Connect provider is set up in secrets.toml (docs/deployment.md)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: single sign-on is simply not set up
        return False


if _single_sign_on_ready():
    if st.user.get("is_logged_in"):
        # the provider has verified the email; the local account decides role and bodies
        try:
            who = sign_in_verified_email(database(), str(st.user.get("email") or ""))
        except SignInRefused:
            st.error("Your organisation account has no access to the advisor. Ask a curator.")
            st.button("Sign out of your organisation account", on_click=st.logout)
            st.stop()
        begin_session(who)
        flash(f"Signed in as {who.email}.")
        st.rerun()
    st.button("Sign in with your organisation account", key="sign_in_sso", on_click=st.login)
    st.caption("Or sign in with an advisor password:")

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
            begin_session(who)
            flash(f"Signed in as {who.email}.")
            st.rerun()
