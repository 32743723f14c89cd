"""Curator: the audit log, newest first."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import require_principal
from advisor.services.audit import list_audit

who = require_principal()
db = database()

st.title("Audit log")
c1, c2, c3 = st.columns(3)
action = c1.text_input("Action (e.g. kb.approve)", key="audit_action")
organisation = c2.text_input("Organisation id", key="audit_org")
limit = c3.number_input("Entries", min_value=10, max_value=5000, value=200, key="audit_limit")
entries = list_audit(
    db,
    who,
    action=action.strip() or None,
    organisation_id=organisation.strip() or None,
    limit=int(limit),
)
if not entries:
    st.info("No entries match.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "when": e.at.strftime("%Y-%m-%d %H:%M:%S"),
                "who": e.actor,
                "action": e.action,
                "organisation": e.organisation_id or "",
                "target": f"{e.target_kind or ''} {e.target_id or ''}".strip(),
                "detail": json.dumps(e.detail, sort_keys=True, default=str),
            }
            for e in entries
        ]
    ),
    hide_index=True,
    width="stretch",
    key="audit_table",
)
