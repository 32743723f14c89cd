"""Vendor: edit your entry and offerings, preview it in a recommendation, submit for review."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import bullets, escape_markdown, field_errors, problems
from advisor.errors import InputError
from advisor.kb.graph import FRAMEWORK_NAMES
from advisor.services.app_support import check_vendor_entry, vendor_preview
from advisor.services.kb_revisions import get_entry, propose_change
from advisor.vocabulary import AREA_NAMES, BarrierId, DeliveryModelId, FrameworkId, TechnologyAreaId

who = require_principal()
db = database()
know = current_knowledge()

st.title("Your entry")
if len(who.organisations) != 1:
    st.warning("Your account is not linked to one vendor entry. Ask a curator.")
    st.stop()
vendor_id = next(iter(who.organisations))
entry = get_entry(db, "vendors", vendor_id)
if entry.data is None:
    st.warning("Your vendor entry is not in the knowledge base yet. Ask a curator to add it.")
    st.stop()
data: dict[str, Any] = entry.data
st.caption(f"Live version {entry.version}. Changes are checked by a curator before they go live.")

errors: dict[str, str] = st.session_state.get("vendor_errors", {})


def _error(field: str) -> None:
    if field in errors:
        st.error(f"{field}: {escape_markdown(errors[field])}")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


areas = [a.value for a in TechnologyAreaId]
models = [m.value for m in DeliveryModelId]
barriers = [b.value for b in BarrierId]
frameworks = [f.value for f in FrameworkId]
area_name = {a.value: AREA_NAMES[a] for a in TechnologyAreaId}
fw_name = {f.value: FRAMEWORK_NAMES[f] for f in FrameworkId}
k = f"vendor_{entry.version}"  # fresh widgets whenever the live version changes

name = st.text_input("Company name", value=data.get("name", ""), key=f"{k}_name")
_error("name")
description = st.text_area(
    "Description", value=data.get("description", ""), max_chars=4000, key=f"{k}_description"
)
_error("description")
c1, c2 = st.columns(2)
sme = c1.checkbox(
    "Small or medium-sized enterprise (fewer than 250 staff)",
    value=bool(data.get("sme")),
    key=f"{k}_sme",
)
headquarters = c2.text_input(
    "Headquarters", value=data.get("headquarters") or "", key=f"{k}_headquarters"
)
regions = st.text_area(
    "Regions served (one per line)", value="\n".join(data.get("regions", [])), key=f"{k}_regions"
)
_error("regions")
vendor_frameworks = st.multiselect(
    "Frameworks you are on",
    options=frameworks,
    default=[f for f in data.get("frameworks", []) if f in frameworks],
    format_func=lambda f: fw_name[f],
    key=f"{k}_frameworks",
)
_error("frameworks")
_error("(entry)")
website = st.text_input("Website", value=data.get("website") or "", key=f"{k}_website")
_error("website")

st.subheader("Offerings")
st.session_state.setdefault(f"{k}_count", len(data.get("offerings", [])))
offerings: list[dict[str, Any]] = []
for i in range(int(st.session_state[f"{k}_count"])):
    old: dict[str, Any] = (
        (data.get("offerings") or [])[i] if i < len(data.get("offerings", [])) else {}
    )
    o = f"{k}_off{i}"
    label = old.get("name") or f"New offering {i + 1}"
    with st.expander(
        escape_markdown(label),
        expanded=not old or any(f.startswith(f"offerings[{i}]") for f in errors),
    ):
        remove = st.checkbox("Remove this offering", key=f"{o}_remove")
        off_id = st.text_input(
            "Offering id (lower-case letters, digits, underscores)",
            value=old.get("id", ""),
            disabled=bool(old),
            key=f"{o}_id",
        )
        _error(f"offerings[{i}].id")
        off_name = st.text_input("Name", value=old.get("name", ""), max_chars=100, key=f"{o}_name")
        _error(f"offerings[{i}].name")
        off_desc = st.text_area(
            "Description (at most 500 characters)",
            value=old.get("description", ""),
            max_chars=500,
            key=f"{o}_description",
        )
        _error(f"offerings[{i}].description")
        off_areas = st.multiselect(
            "Technology areas",
            areas,
            default=[a for a in old.get("technology_areas", []) if a in areas],
            format_func=lambda a: area_name[a],
            key=f"{o}_areas",
        )
        _error(f"offerings[{i}].technology_areas")
        off_models = st.multiselect(
            "Delivery models it suits",
            models,
            default=[m for m in old.get("delivery_models", []) if m in models],
            key=f"{o}_models",
        )
        off_barriers = st.multiselect(
            "Barriers it helps with",
            barriers,
            default=[b for b in old.get("barriers_addressed", []) if b in barriers],
            key=f"{o}_barriers",
        )
        off_fw = st.multiselect(
            "Frameworks it can be bought through",
            frameworks,
            default=[f for f in old.get("frameworks", []) if f in frameworks],
            format_func=lambda f: fw_name[f],
            key=f"{o}_frameworks",
        )
        _error(f"offerings[{i}]")
        _error(f"offerings[{i}].frameworks")
        p1, p2, p3 = st.columns(3)
        price_min = p1.number_input(
            "Price from (£)", min_value=0, value=old.get("price_min_gbp"), key=f"{o}_pmin"
        )
        price_max = p2.number_input(
            "Price up to (£)", min_value=0, value=old.get("price_max_gbp"), key=f"{o}_pmax"
        )
        price_unit = p3.text_input(
            "Price unit (e.g. per year)", value=old.get("price_unit") or "", key=f"{o}_punit"
        )
        features = st.text_area(
            "Features (one per line, at most 10)",
            value="\n".join(old.get("features", [])),
            key=f"{o}_features",
        )
        _error(f"offerings[{i}].features")
    if not remove:
        offering: dict[str, Any] = {
            "id": off_id.strip(),
            "name": off_name.strip(),
            "description": off_desc.strip(),
            "technology_areas": off_areas,
        }
        for field, value in (
            ("delivery_models", off_models),
            ("barriers_addressed", off_barriers),
            ("frameworks", off_fw),
            ("features", _lines(features)),
            ("price_min_gbp", price_min),
            ("price_max_gbp", price_max),
            ("price_unit", price_unit.strip() or None),
        ):
            if value is not None and value != []:  # an empty list is the default: leave it out
                offering[field] = int(value) if isinstance(value, float) else value
        offerings.append(offering)
_error("offerings")
if st.button("Add an offering", key=f"{k}_add"):
    st.session_state[f"{k}_count"] = int(st.session_state[f"{k}_count"]) + 1
    st.rerun()

proposed: dict[str, Any] = {
    "id": vendor_id,
    "name": name.strip(),
    "description": description.strip(),
    "sme": sme,
    "offerings": offerings,
    "source": data.get("source", "vendor's own entry"),
    "last_reviewed": date.today().isoformat(),
}
if _lines(regions):
    proposed["regions"] = _lines(regions)
if vendor_frameworks:
    proposed["frameworks"] = vendor_frameworks
if headquarters.strip():
    proposed["headquarters"] = headquarters.strip()
if website.strip():
    proposed["website"] = website.strip()

st.divider()
comment = st.text_area("Note for the curator (optional)", max_chars=4000, key=f"{k}_comment")
b1, b2 = st.columns(2)
if b1.button("Check and preview", key="vendor_check"):
    try:
        vendor = check_vendor_entry(vendor_id, proposed)
    except InputError as exc:
        st.session_state["vendor_errors"] = field_errors(exc)
        st.session_state["vendor_preview"] = None
    else:
        st.session_state["vendor_errors"] = {}
        st.session_state["vendor_preview"] = vendor_preview(know.kb, vendor, know.matching)
    st.rerun()
if b2.button("Submit for review", key="vendor_propose", type="primary"):
    try:
        check_vendor_entry(vendor_id, proposed)
        proposal = propose_change(
            db, who, "vendors", vendor_id, proposed, entry.version, comment.strip() or None
        )
    except InputError as exc:
        st.session_state["vendor_errors"] = field_errors(exc)
        problems(exc, where="your entry")
    else:
        st.session_state["vendor_errors"] = {}
        flash(f"Submitted for review as proposal #{proposal.id}.")
        st.switch_page("app_pages/vendor_history.py")

if errors:
    st.error(
        f"{len(errors)} field(s) need attention: " + escape_markdown(", ".join(sorted(errors)))
    )
preview = st.session_state.get("vendor_preview")
if preview is not None:
    st.subheader("Preview: how a council would see you")
    st.caption("A sample council at level 1 in your technology areas and level 4 elsewhere.")
    if preview.item is not None:
        st.markdown(
            f"**{preview.rank}\\. {escape_markdown(preview.item.name)}** "
            f"(score {preview.item.score:.2f}, {'SME' if preview.item.sme else 'large company'})"
        )
        st.markdown("**Offerings that cover the gaps**")
        bullets(preview.item.offerings)
        st.markdown("**Why**")
        bullets(preview.item.why)
    elif preview.near_miss is not None:
        st.warning("You would be a near miss, ruled out because:")
        bullets(preview.near_miss.why_not)
    else:
        st.info("You would not make the shortlist for this sample council.")
