"""Knowledge graph explorer: find an entry, see its neighbourhood as a picture, follow links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.session import current_knowledge
from advisor.app.ui import escape_markdown
from advisor.services.explorer import SEARCHABLE_KINDS, explore, search_nodes

st.title("Knowledge graph explorer")
st.caption(
    "Search for a vendor, case study, technology area or barrier and see what it is linked to."
)
graph = current_knowledge().graph
st.session_state.setdefault("explorer_node", st.query_params.get("node"))

query = st.text_input(
    "Search by name", key="explorer_query", placeholder="for example: Meeco, Security, legal"
)
kinds = st.multiselect(
    "Only these kinds of entry (leave empty for all)",
    options=list(SEARCHABLE_KINDS),
    format_func=lambda k: SEARCHABLE_KINDS[k],
    key="explorer_kinds",
)
hits = search_nodes(graph, query, kinds or None, limit=50)
if not hits:
    st.info("Nothing matches that search. Try part of a name.")
    st.stop()

if query or st.session_state["explorer_node"] not in graph:
    keys = [h.key for h in hits]
    names = {h.key: f"{h.label} ({h.kind_name.lower()})" for h in hits}
    current = st.session_state["explorer_node"]
    chosen = st.selectbox(
        "Entry",
        options=keys,
        index=keys.index(current) if current in keys else 0,
        format_func=lambda k: names[k],
        key="explorer_pick",
    )
    st.session_state["explorer_node"] = chosen

centre_key = st.session_state["explorer_node"]
view = explore(graph, centre_key)
st.query_params["node"] = centre_key  # the address of this view can be shared

st.header(f"{escape_markdown(view.centre.label)} ({view.centre.kind_name.lower()})")
st.graphviz_chart(view.dot, width="stretch")
if view.shown <= len(view.links):
    st.caption(f"The picture shows {view.shown - 1} linked entries; the table lists them all.")

st.markdown("**Links**")
st.dataframe(
    pd.DataFrame(
        [
            {
                "relation": link.relation,
                "entry": link.other_label,
                "kind": SEARCHABLE_KINDS.get(link.other_kind, "entry"),
            }
            for link in view.links
        ]
    ),
    hide_index=True,
    width="stretch",
    key="explorer_links",
)

if view.links:
    targets = list(dict.fromkeys(link.other_key for link in view.links))
    labels = {link.other_key: f"{link.relation} {link.other_label}" for link in view.links}

    def _follow() -> None:
        st.session_state["explorer_node"] = st.session_state["explorer_follow"]
        st.session_state["explorer_query"] = ""

    st.selectbox(
        "Follow a link to another entry",
        options=targets,
        index=None,
        format_func=lambda k: labels[k],
        key="explorer_follow",
        on_change=_follow,
        placeholder="Choose a linked entry",
    )
