"""Curator: the audit log, newest first."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import require_principal
from advisor.services.audit import list_audit
from advisor.services.organisations import list_organisations

who = require_principal()
db = database()

st.title("Audit log")
bodies = {o.id: o.name for o in list_organisations(db, who)}
c1, c2, c3 = st.columns(3)
action = c1.text_input("Action (e.g. kb.approve)", key="audit_action")
organisation = c2.selectbox(
    "Organisation",
    options=list(bodies),
    index=None,
    format_func=lambda i: bodies[i],
    placeholder="All organisations",
    key="audit_org",
)
limit = c3.number_input("Entries", min_value=10, max_value=5000, value=200, key="audit_limit")
entries = list_audit(
    db,
    who,
    action=action.strip() or None,
    organisation_id=organisation,
    limit=int(limit),
)
if not entries:
    st.info("No entries match.")
    st.stop()


def _said(value: object) -> str:
    """A detail's value as read: an organisation by its name, a list as words."""
    if isinstance(value, list):
        return ", ".join(_said(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return bodies.get(str(value), str(value))


def _target(kind: str | None, ref: object) -> str:
    if kind == "organisation" and ref is not None:
        return bodies.get(str(ref), str(ref))
    return f"{(kind or '').replace('_', ' ')} {ref or ''}".strip()


st.dataframe(
    pd.DataFrame(
        [
            {
                "when": e.at.strftime("%Y-%m-%d %H:%M:%S"),
                "who": e.actor,
                "action": e.action.replace("_", " "),
                "organisation": bodies.get(e.organisation_id or "", e.organisation_id or ""),
                "target": _target(e.target_kind, e.target_id),
                "detail": "; ".join(
                    f"{k.replace('_', ' ')}: {_said(v)}" for k, v in sorted(e.detail.items())
                ),
            }
            for e in entries
        ]
    ),
    hide_index=True,
    width="stretch",
    key="audit_table",
)
