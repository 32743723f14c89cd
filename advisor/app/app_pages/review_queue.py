"""Curator: the review queue; read each diff, approve or reject with a comment."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import changes_table, escape_markdown, name_in, plain, problems
from advisor.errors import InputError
from advisor.services.entry_changes import proposal_changes
from advisor.services.errors import ConflictError
from advisor.services.kb_revisions import (
    PROPOSED,
    approve_proposal,
    list_proposals,
    reject_proposal,
)

who = require_principal()
db = database()
name_of = name_in(current_knowledge().graph)

st.title("Review queue")
waiting = list_proposals(db, who, status=PROPOSED)
if not waiting:
    st.success("Nothing to review.")
for p in waiting:
    kind = {"vendors": "vendor"}.get(p.kind, p.kind.removesuffix("s"))
    st.header(f"#{p.id}: {escape_markdown(str(p.data.get('name', p.entry_id)))} ({kind} entry)")
    st.caption(
        f"Proposed by {escape_markdown(p.author)} on {p.created_at:%d %b %Y %H:%M}, "
        f"based on version {p.base_version}."
    )
    if p.comment:
        plain(p.comment, bold_prefix="Note from the author:")
    changes_table(proposal_changes(db, p, name_of), key=f"review_changes_{p.id}")
    comment = st.text_area(
        "Comment (needed to reject)", max_chars=4000, key=f"review_comment_{p.id}"
    )
    c1, c2 = st.columns(2)
    if c1.button("Approve", key=f"review_approve_{p.id}", type="primary"):
        try:
            revision = approve_proposal(db, who, p.id, comment.strip() or None)
        except ConflictError as exc:
            st.error(escape_markdown(str(exc)))
        else:
            flash(f"Approved #{p.id}: knowledge-base revision {revision.id} is live.")
            st.rerun()
    if c2.button("Reject", key=f"review_reject_{p.id}"):
        try:
            reject_proposal(db, who, p.id, comment)
        except InputError as exc:
            problems(exc)
        else:
            flash(f"Rejected #{p.id}.")
            st.rerun()
    st.divider()
