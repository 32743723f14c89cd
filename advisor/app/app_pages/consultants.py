"""A body's lead: the consultants who act for the body; end their access or give it."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import flash, require_principal
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.services.client_access import consultants_of, end_consultant_access, make_consultant
from advisor.services.organisations import get_organisation

who = require_principal()
db = database()

st.title("Consultants")
bodies = sorted(who.organisations)
if not bodies:
    st.info("Your account acts for no body yet. A curator links it to your body.")
    st.stop()
body = get_organisation(db, bodies[0])
st.write(
    escape_markdown(
        f"Consultants who can see and work on the assessments of {body.name}. "
        "Only you or a curator can give or end this access."
    )
)
access = consultants_of(db, who, body.id)
if not access:
    st.info("No consultant can see your body's assessments.")
for row in access:
    c1, c2 = st.columns([3, 1])
    state = "" if row.active else " (account switched off)"
    c1.text(f"{row.email}{state}, since {row.since.strftime('%d %b %Y')}")
    if c2.button("End access", key=f"consultants_end_{row.user_id}"):
        end_consultant_access(db, who, body.id, row.user_id)
        flash(f"{row.email} can no longer see {body.name}'s assessments.")
        st.rerun()

with st.expander("Give a consultant access"):
    with st.form("consultants_add_form"):
        email = st.text_input("The consultant's email address", key="consultants_add_email")
        give = st.form_submit_button("Give access")
    if give:
        try:
            make_consultant(db, who, body.id, email)
        except InputError as exc:
            problems(exc, labels={"email": "The consultant's email address"})
        else:
            flash(f"{email.strip()} can now see and work on {body.name}'s assessments.")
            st.rerun()
