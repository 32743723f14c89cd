"""Curator: knowledge-base health: counts, stale entries, orphans, validation problems."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, require_principal
from advisor.app.ui import bullets, name_in
from advisor.kb.health import knowledge_base_health
from advisor.services.app_support import knowledge_base_problems
from advisor.services.explorer import SEARCHABLE_KINDS
from advisor.services.kb_revisions import list_revisions

who = require_principal()
db = database()
know = current_knowledge()

st.title("Knowledge-base health")
health = knowledge_base_health(know.kb, know.graph, date.today())
st.caption(
    f"Live revision {know.revision}: {health.graph_nodes} entries in the graph, "
    f"{health.graph_edges} links."
)
name_of = name_in(know.graph)


def _kind(kind: str) -> str:
    """A kind of entry in words (``case_studies`` and ``case_study`` read 'Case studies')."""
    return SEARCHABLE_KINDS.get(kind) or kind.replace("_", " ").capitalize()


st.dataframe(
    pd.DataFrame([{"kind": _kind(k), "entries": n} for k, n in health.counts.items()]),
    hide_index=True,
    key="health_counts",
)
st.header("Stale entries")
if health.stale:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "kind": _kind({"procurement_route": "route"}.get(s.kind, s.kind)),
                    "entry": name_of({"procurement_route": "route"}.get(s.kind, s.kind), s.id),
                    "why": s.reason,
                }
                for s in health.stale
            ]
        ),
        hide_index=True,
        key="health_stale",
    )
else:
    st.success("No stale entries.")
st.header("Entries nothing links to")
if health.orphans:
    for kind, ids in health.orphans.items():
        bullets([f"{_kind(kind)}: {', '.join(name_of(kind, i) for i in ids)}"])
else:
    st.success("Every entry is linked.")
st.caption(f"{health.vendors_without_case_study} vendor(s) appear in no case study.")

st.header("Validation")
if st.button("Check the live knowledge base", key="health_validate"):
    with st.spinner("Checking every entry..."):
        st.session_state["health_problems"] = (know.revision, knowledge_base_problems(db, who))
checked = st.session_state.get("health_problems")
if checked is not None and checked[0] == know.revision:
    if checked[1]:
        st.error(f"{len(checked[1])} problem(s):")
        st.dataframe(
            pd.DataFrame([{"problem": str(p)} for p in checked[1]]),
            hide_index=True,
            key="health_problem_table",
        )
    else:
        st.success("Every entry validates and every reference resolves.")

st.header("Recent revisions")
st.dataframe(
    pd.DataFrame(
        [
            {
                "revision": r.id,
                "kind": _kind(r.kind),
                "by": r.author,
                "comment": r.comment or "",
                "changes": r.changes,
                "when": r.created_at.strftime("%Y-%m-%d %H:%M"),
            }
            for r in list_revisions(db, limit=20)
        ]
    ),
    hide_index=True,
    key="health_revisions",
)
