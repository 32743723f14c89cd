"""Vendor: the status of your proposals and the history of your entry."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, require_principal
from advisor.app.ui import changes_table, name_in, plain
from advisor.services.entry_changes import proposal_changes
from advisor.services.kb_revisions import entry_history, list_proposals

who = require_principal()
db = database()
name_of = name_in(current_knowledge().graph)

st.title("Status and history")
proposals = list_proposals(db, who)
st.header("Your proposals")
if not proposals:
    st.info("You have not proposed any change yet.")
for p in proposals:
    status = {"proposed": "waiting for review", "approved": "approved", "rejected": "rejected"}
    title = f"#{p.id} · {p.created_at:%d %b %Y %H:%M} · {status.get(p.status, p.status)}"
    with st.expander(title, expanded=p is proposals[0]):
        if p.comment:
            plain(p.comment, bold_prefix="Your note:")
        if p.review_comment:
            plain(p.review_comment, bold_prefix="Curator's comment:")
        if p.revision_id:
            st.caption(f"Live from knowledge-base revision {p.revision_id}.")
        changes_table(proposal_changes(db, p, name_of), key=f"vendor_changes_{p.id}")

for vendor_id in sorted(who.organisations):
    st.header("Versions of your entry")
    history = entry_history(db, "vendors", vendor_id)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "version": h.version,
                    "revision": h.revision,
                    "name": (h.data or {}).get("name", "(removed)"),
                    "offerings": len((h.data or {}).get("offerings", [])),
                    "last reviewed": (h.data or {}).get("last_reviewed", ""),
                }
                for h in reversed(history)
            ]
        ),
        hide_index=True,
        width="stretch",
        key=f"vendor_history_{vendor_id}",
    )
