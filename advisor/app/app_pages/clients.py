"""Consultant: the client list; start an assessment for a client or enter a quick profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.app.dashboard import SEVERITY_NAMES
from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.kb.graph import label, node_key
from advisor.services.app_support import (
    assessable_bodies,
    profile_from_form,
    profile_from_upload,
)
from advisor.services.assessments import create_assessment, list_assessments, record_profile
from advisor.services.client_access import list_client_proposals, propose_client
from advisor.services.organisations import BODY_KINDS
from advisor.vocabulary import (
    AREA_NAMES,
    ORG_KIND_NAMES,
    BarrierId,
    DataUse,
    Deployment,
    ExternalFunding,
    OrgKind,
    Scope,
    ServiceInnovation,
    TechnologyAreaId,
)
from advisor.wording import upper_first

FORM_CHOICES = {
    "tactical": "Tactical: one problem, one project",
    "strategic": "Strategic: several problems on shared technology",
    "existing": "Improving an existing service",
    "new": "A new service",
    "expose": "Opening data to others outside the body",
    "internal": "Using data inside the body and with named partners",
    "it_department": "The IT department",
    "external_partner": "An external partner",
    "special_team": "A team working across departments",
    "departmental_team": "One department's own team",
    "none": "None",
    "possible": "Possible",
    "available": "Available",
}
"""The quick profile's choices in words (the form keeps the ids)."""


def _choice(value: str) -> str:
    return FORM_CHOICES.get(value, value)


def _kind(value: str) -> str:
    return upper_first(ORG_KIND_NAMES[OrgKind(value)]) if value in set(OrgKind) else value


PROPOSE_LABELS = {
    "id": "Name of the body",
    "name": "Name of the body",
    "kind": "Kind of body",
    "region": "Region",
    "": "New client",
}
QUICK_LABELS = {
    "factors.scope": "Scope",
    "factors.service_innovation": "Service innovation",
    "factors.data_use": "Data use",
    "factors.deployment": "Who delivers",
    "maturity": "Maturity",
    "barriers": "Barriers",
    "goals": "Goals",
    "constraints.budget_gbp": "Budget",
    "constraints.prefer_sme": "Prefer small suppliers",
    "constraints.external_funding": "External funding",
    "title": "Title",
    "": "Quick profile",
}
"""The forms' labels, for naming the field of each problem."""


who = require_principal()
db = database()
know = current_knowledge()

st.title("Clients")
clients = assessable_bodies(db, who)
if clients:
    rows = []
    for body in clients:
        mine = list_assessments(db, who, organisation_id=body.id)
        rows.append(
            {
                "client": body.name,
                "kind": _kind(body.kind),
                "region": body.region or "",
                "assessments": len(mine),
                "latest": mine[0].updated_at.strftime("%d %b %Y") if mine else "",
                "latest status": mine[0].status.capitalize() if mine else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="clients_table")
else:
    st.info(
        "No clients yet. A curator, or the body's own lead, makes you a body's consultant; "
        "you can propose a new client below."
    )

waiting = list_client_proposals(db, who)
if waiting:
    st.caption(
        "Waiting for a curator: " + escape_markdown(", ".join(p.name for p in waiting)) + "."
    )

with st.expander("Propose a new client", expanded=not clients):
    st.caption(
        "A curator checks who you are working for and then makes you the body's consultant. "
        "Until then you cannot see or start its assessments."
    )
    with st.form("clients_new_form"):
        new_name = st.text_input("Name of the body", max_chars=200, key="clients_new_name")
        new_kind = st.selectbox(
            "Kind of body", sorted(BODY_KINDS), format_func=_kind, key="clients_new_kind"
        )
        new_region = st.text_input("Region", max_chars=100, key="clients_new_region")
        register = st.form_submit_button("Propose client")
# said below the expander, so a problem shows whether the expander is open or not
if register:
    try:
        propose_client(db, who, new_name, new_kind, new_region or None)
    except InputError as exc:
        problems(exc, where="the new client", labels=PROPOSE_LABELS)
    else:
        flash(f"Proposed {new_name}. A curator will decide.")
        st.rerun()

if not clients:
    st.stop()

names = {b.id: b.name for b in clients}
client = st.selectbox(
    "Client", options=list(names), format_func=lambda i: names[i], key="clients_pick"
)

# keyed, so the tab in use stays open when a choice in it (a profile file) reruns the page
tab_start, tab_quick, tab_upload = st.tabs(
    ["Start an assessment", "Enter a quick profile", "Upload a profile file"], key="clients_tab"
)
with tab_start:
    title = st.text_input(
        "Title", value="Data services readiness", max_chars=200, key="clients_start_title"
    )
    if st.button("Start the assessment", key="clients_start", type="primary"):
        view = create_assessment(db, who, client, title, know.questionnaire.version)
        st.session_state["assessment_id"] = view.id
        st.session_state["wizard_loaded"] = None
        st.switch_page("app_pages/wizard.py")

with tab_quick, st.form("clients_quick_form"):
    st.caption("Your own judgement of where the body stands; no questionnaire needed.")
    q_title = st.text_input("Title", value="Quick profile", max_chars=200, key="clients_q_title")
    c1, c2 = st.columns(2)
    factors = {
        "scope": c1.selectbox(
            "Scope", [s.value for s in Scope], format_func=_choice, key="clients_q_scope"
        ),
        "service_innovation": c1.selectbox(
            "Service innovation",
            [s.value for s in ServiceInnovation],
            format_func=_choice,
            key="clients_q_innov",
        ),
        "data_use": c2.selectbox(
            "Data use", [d.value for d in DataUse], format_func=_choice, key="clients_q_data"
        ),
        "deployment": c2.selectbox(
            "Who delivers",
            [d.value for d in Deployment],
            format_func=_choice,
            key="clients_q_deploy",
        ),
    }
    st.markdown("**Maturity** (1 to 5)")
    mcols = st.columns(2)
    maturity = {
        area.value: mcols[i % 2].slider(AREA_NAMES[area], 1, 5, 2, key=f"clients_q_m_{area.value}")
        for i, area in enumerate(TechnologyAreaId)
    }
    st.markdown("**Barriers** (0 no concern to 4 blocking)")
    bcols = st.columns(3)
    barriers = {
        barrier.value: bcols[i % 3].select_slider(
            label(know.graph, node_key("barrier", barrier.value)),
            options=list(SEVERITY_NAMES),
            value=1,
            format_func=lambda v: f"{v} {SEVERITY_NAMES[v]}",
            key=f"clients_q_b_{barrier.value}",
        )
        for i, barrier in enumerate(BarrierId)
    }
    goals = st.text_area(
        "Goals (one per line: knowledge-base names or plain words)", key="clients_q_goals"
    )
    c3, c4, c5 = st.columns(3)
    budget = c3.number_input(
        "Budget (£, VAT included; empty if unknown)",
        min_value=0,
        value=None,
        step=10000,
        key="clients_q_budget",
    )
    prefer_sme = c4.checkbox("Prefer small suppliers (SMEs)", key="clients_q_sme")
    funding = c5.selectbox(
        "External funding",
        [f.value for f in ExternalFunding],
        format_func=_choice,
        key="clients_q_funding",
    )
    save_quick = st.form_submit_button("Save and see the results", type="primary")
if save_quick:
    body = next(b for b in clients if b.id == client)
    try:
        profile = profile_from_form(
            body,
            factors=factors,
            maturity=maturity,
            barriers=barriers,
            goals=goals.splitlines(),
            constraints={
                "budget_gbp": budget,
                "prefer_sme": prefer_sme,
                "external_funding": funding,
            },
        )
        saved = record_profile(db, who, client, q_title, profile)
    except InputError as exc:
        problems(exc, where="the quick profile", labels=QUICK_LABELS)
    else:
        st.session_state["assessment_id"] = saved.id
        flash("Quick profile saved.")
        st.switch_page("app_pages/results.py")

with tab_upload:
    upload = st.file_uploader(
        "Profile file (YAML, as in the documentation)", type=["yaml", "yml"], key="clients_upload"
    )
    u_title = st.text_input(
        "Title", value="Uploaded profile", max_chars=200, key="clients_upload_title"
    )
    if upload is not None and st.button("Save the uploaded profile", key="clients_upload_save"):
        try:
            profile = profile_from_upload(
                upload.getvalue(), upload.name, know.questionnaire, know.scoring
            )
            saved = record_profile(db, who, client, u_title, profile)
        except InputError as exc:
            problems(exc, where=escape_markdown(upload.name))
        else:
            st.session_state["assessment_id"] = saved.id
            flash("Profile saved.")
            st.switch_page("app_pages/results.py")
