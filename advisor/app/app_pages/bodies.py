"""Curator: the bodies the advisor works for. Register one, link it to the knowledge base,
decide consultants' proposed clients, and see or change who consults for a body."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.services.client_access import (
    approve_client_proposal,
    consultants_of,
    decline_client_proposal,
    end_consultant_access,
    list_client_proposals,
    make_consultant,
)
from advisor.services.organisations import (
    BODY_KINDS,
    link_to_knowledge_base,
    list_organisations,
    register_body,
)
from advisor.vocabulary import ORG_KIND_NAMES, OrgKind

LABELS = {"name": "Name", "kind": "Kind of body", "region": "Region"}


def kind_words(kind: str) -> str:
    return ORG_KIND_NAMES[OrgKind(kind)].capitalize() if kind in set(OrgKind) else kind


who = require_principal()
db = database()
kb_bodies = {b.id: b.name for b in current_knowledge().kb.bodies}

st.title("Bodies")
bodies = [o for o in list_organisations(db, who) if o.is_body]
if bodies:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Name": b.name,
                    "Kind": kind_words(b.kind),
                    "Region": b.region or "",
                    "In the knowledge base": (
                        kb_bodies.get(b.kb_entry_id, "") if b.kb_entry_id else "Not linked"
                    ),
                }
                for b in bodies
            ]
        ),
        hide_index=True,
        width="stretch",
        key="bodies_table",
    )
else:
    st.info("No bodies registered yet. Register the first one below.")

with st.expander("Register a body", expanded=not bodies):
    with st.form("bodies_new_form"):
        name = st.text_input("Name", max_chars=200, key="bodies_new_name")
        kind = st.selectbox(
            "Kind of body",
            sorted(BODY_KINDS, key=kind_words),
            index=None,
            placeholder="Choose the kind of body",
            format_func=kind_words,
            key="bodies_new_kind",
        )
        region = st.text_input("Region", max_chars=100, key="bodies_new_region")
        register = st.form_submit_button("Register the body", type="primary")
    if register and kind is None:
        st.error("Kind of body: please choose one.")
    elif register and kind is not None:
        try:
            made = register_body(db, who, name, kind, region or None)
        except InputError as exc:
            problems(exc, labels=LABELS)
        else:
            flash(f"Registered {made.name}.")
            st.rerun()

pending = list_client_proposals(db, who)
st.subheader("Proposed clients")
if not pending:
    st.caption("No consultant is waiting for a decision.")
names = {b.id: b.name for b in bodies}
for proposal in pending:
    with st.container(border=True):
        where = f", {proposal.region}" if proposal.region else ""
        st.write(
            escape_markdown(
                f"{proposal.proposed_by} proposes {proposal.name} "
                f"({kind_words(proposal.kind).lower()}{where}) as a client, on "
                f"{proposal.created_at.strftime('%d %b %Y')}."
            )
        )
        same = st.selectbox(
            "Which body is it?",
            [None, *names],
            format_func=lambda i: "Register it as a new body" if i is None else names[i],
            key=f"bodies_proposal_same_{proposal.id}",
        )
        c1, c2 = st.columns(2)
        if c1.button("Approve: make them its consultant", key=f"bodies_approve_{proposal.id}"):
            try:
                approve_client_proposal(db, who, proposal.id, existing=same)
            except InputError as exc:
                problems(exc)
            else:
                flash(f"{proposal.proposed_by} is now a consultant of {proposal.name}.")
                st.rerun()
        if c2.button("Decline", key=f"bodies_decline_{proposal.id}"):
            decline_client_proposal(db, who, proposal.id)
            flash(f"Declined {proposal.name}.")
            st.rerun()

if not bodies:
    st.stop()

st.subheader("One body")
picked = st.selectbox("Body", list(names), format_func=lambda i: names[i], key="bodies_pick")
body = next(b for b in bodies if b.id == picked)
kb_options: list[str | None] = [None, *sorted(kb_bodies, key=lambda i: kb_bodies[i])]
linked = st.selectbox(
    "The same body in the knowledge base",
    kb_options,
    index=kb_options.index(body.kb_entry_id) if body.kb_entry_id in kb_options else 0,
    format_func=lambda i: "Not in the knowledge base" if i is None else kb_bodies[i],
    key=f"bodies_link_{body.id}",
)
if linked != body.kb_entry_id and st.button("Save the link", key="bodies_link_save"):
    try:
        link_to_knowledge_base(db, who, body.id, linked)
    except InputError as exc:
        problems(exc)
    else:
        flash(f"Saved which knowledge-base body {body.name} is.")
        st.rerun()

st.markdown("**Consultants of this body**")
access = consultants_of(db, who, body.id)
if not access:
    st.caption("No consultant can see this body's assessments.")
for row in access:
    c1, c2 = st.columns([3, 1])
    state = "" if row.active else " (account switched off)"
    c1.text(f"{row.email}{state}, since {row.since.strftime('%d %b %Y')}")
    if c2.button("End access", key=f"bodies_end_{body.id}_{row.user_id}"):
        end_consultant_access(db, who, body.id, row.user_id)
        flash(f"{row.email} can no longer see {body.name}'s assessments.")
        st.rerun()
with st.form("bodies_consultant_form"):
    email = st.text_input("Make a consultant of this body (their email)", key="bodies_c_email")
    give = st.form_submit_button("Give access")
if give:
    try:
        make_consultant(db, who, body.id, email)
    except InputError as exc:
        problems(exc, labels={"email": "Their email"})
    else:
        flash(f"{email.strip()} is now a consultant of {body.name}.")
        st.rerun()
