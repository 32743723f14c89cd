"""Vendor: edit your entry and offerings, preview it in a recommendation, submit for review."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import current_knowledge, flash, require_principal
from advisor.app.ui import bullet_text, bullets, escape_markdown, problems
from advisor.base import MAX_NAME, MAX_TEXT
from advisor.errors import InputError, Loc
from advisor.form_messages import FieldProblem, check_form
from advisor.kb.graph import FRAMEWORK_NAMES, label, node_key
from advisor.kb.models import Vendor
from advisor.services.app_support import vendor_preview
from advisor.services.kb_revisions import PROPOSED, get_entry, list_proposals, propose_change
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
for waiting in list_proposals(db, who, status=PROPOSED):
    if waiting.entry_id == vendor_id:
        st.info(
            f"Your proposal #{waiting.id}, sent on {waiting.created_at:%d %b %Y}, is waiting for "
            "a curator's review, so its changes are not shown here yet. A new proposal is "
            "reviewed on its own: once one of them is approved, the other has to be made again."
        )

slots: dict[str, Any] = {}
"""Where each field's message goes (filled once the whole form is read and checked)."""


def _slot(field: str) -> None:
    slots[field] = st.empty()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _new_id(name: str, taken: set[str], number: int) -> str:
    """An id for a new offering, made from its name (vendors never type ids)."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or f"offering_{number}"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    return found


areas = [a.value for a in TechnologyAreaId]
models = [m.value for m in DeliveryModelId]
barriers = [b.value for b in BarrierId]
frameworks = [f.value for f in FrameworkId]
area_name = {a.value: AREA_NAMES[a] for a in TechnologyAreaId}
fw_name = {f.value: FRAMEWORK_NAMES[f] for f in FrameworkId}
model_name = {m: label(know.graph, node_key("model", m)) for m in models}
barrier_name = {b: label(know.graph, node_key("barrier", b)) for b in barriers}
k = f"vendor_{entry.version}"  # fresh widgets whenever the live version changes

# Text fields take any length, so a paste past the limit is kept and said, not dropped.
name = st.text_input(
    f"Company name (at most {MAX_NAME} characters)", value=data.get("name", ""), key=f"{k}_name"
)
_slot("name")
description = st.text_area(
    f"Description (at most {MAX_TEXT:,} characters)",
    value=data.get("description", ""),
    key=f"{k}_description",
)
_slot("description")
c1, c2 = st.columns(2)
sme = c1.checkbox(
    "Small or medium-sized enterprise (fewer than 250 staff)",
    value=bool(data.get("sme")),
    key=f"{k}_sme",
)
with c2:
    headquarters = st.text_input(
        "Headquarters (optional)", value=data.get("headquarters") or "", key=f"{k}_headquarters"
    )
    _slot("headquarters")
regions = st.text_area(
    "Regions served (one per line, e.g. UK-wide or North East)",
    value="\n".join(data.get("regions", [])),
    key=f"{k}_regions",
)
_slot("regions")
vendor_frameworks = st.multiselect(
    "Frameworks you are on",
    options=frameworks,
    default=[f for f in data.get("frameworks", []) if f in frameworks],
    format_func=lambda f: fw_name[f],
    key=f"{k}_frameworks",
)
_slot("frameworks")
_slot("")
website = st.text_input(
    "Website (optional, the full address starting with https://)",
    value=data.get("website") or "",
    key=f"{k}_website",
)
_slot("website")

st.header("Offerings")
st.session_state.setdefault(f"{k}_count", len(data.get("offerings", [])))
offerings: list[dict[str, Any]] = []
taken = {str(o.get("id")) for o in data.get("offerings", [])}
titles: list[str] = []
kept: list[int] = []  # the form's offering numbers of those not removed, in order
flagged: set[int] = st.session_state.get("vendor_flagged", set())
for i in range(int(st.session_state[f"{k}_count"])):
    old: dict[str, Any] = (
        (data.get("offerings") or [])[i] if i < len(data.get("offerings", [])) else {}
    )
    o = f"{k}_off{i}"
    title = old.get("name") or f"New offering {i + 1}"
    titles.append(title)
    with st.expander(escape_markdown(title), expanded=not old or i in flagged):
        remove = st.checkbox(f"Remove the offering {title}", key=f"{o}_remove")
        off_name = st.text_input(
            "Name (at most 100 characters)", value=old.get("name", ""), key=f"{o}_name"
        )
        _slot(f"offerings[{i}].name")
        off_desc = st.text_area(
            "Description (at most 500 characters)",
            value=old.get("description", ""),
            key=f"{o}_description",
        )
        _slot(f"offerings[{i}].description")
        off_areas = st.multiselect(
            "Technology areas it covers (at least one)",
            areas,
            default=[a for a in old.get("technology_areas", []) if a in areas],
            format_func=lambda a: area_name[a],
            key=f"{o}_areas",
        )
        _slot(f"offerings[{i}].technology_areas")
        off_models = st.multiselect(
            "Delivery models it suits",
            models,
            default=[m for m in old.get("delivery_models", []) if m in models],
            format_func=lambda m: model_name[m],
            key=f"{o}_models",
        )
        off_barriers = st.multiselect(
            "Barriers it helps with",
            barriers,
            default=[b for b in old.get("barriers_addressed", []) if b in barriers],
            format_func=lambda b: barrier_name[b],
            key=f"{o}_barriers",
        )
        off_fw = st.multiselect(
            "Frameworks it can be bought through (from the frameworks you are on)",
            vendor_frameworks,
            default=[f for f in old.get("frameworks", []) if f in vendor_frameworks],
            format_func=lambda f: fw_name[f],
            key=f"{o}_frameworks",
        )
        _slot(f"offerings[{i}].frameworks")
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
        _slot(f"offerings[{i}]")
        features = st.text_area(
            "Features (one per line, at most 10, each at most 120 characters)",
            value="\n".join(old.get("features", [])),
            key=f"{o}_features",
        )
        _slot(f"offerings[{i}].features")
    if not remove:
        kept.append(i)
        off_id = old.get("id") or _new_id(off_name, taken, i + 1)
        taken.add(off_id)
        offering: dict[str, Any] = {
            "id": off_id,
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
_slot("offerings")
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

VENDOR_LABELS = {
    "name": "Company name",
    "description": "Description",
    "sme": "Small or medium-sized enterprise",
    "headquarters": "Headquarters",
    "regions": "Regions served",
    "frameworks": "Frameworks you are on",
    "website": "Website",
    "offerings": "Offerings",
}
OFFERING_LABELS = {
    "name": "name",
    "description": "description",
    "technology_areas": "technology areas",
    "delivery_models": "delivery models",
    "barriers_addressed": "barriers it helps with",
    "frameworks": "frameworks",
    "price_min_gbp": "price from",
    "price_max_gbp": "price up to",
    "price_unit": "price unit",
    "features": "features",
}
kept_titles = [titles[i] for i in kept]


def _label(loc: Loc) -> str:
    """The label a field has on this form, for its messages."""
    if not loc:
        return "Your entry"
    head = str(loc[0])
    if head == "offerings" and len(loc) > 1 and isinstance(loc[1], int):
        n = loc[1]
        which = f"Offering {n + 1}" + (
            f" ({kept_titles[n]})" if n < len(kept_titles) and kept_titles[n] else ""
        )
        if len(loc) == 2:
            return which
        said = f"{which}, {OFFERING_LABELS.get(str(loc[2]), 'a field')}"
        return said + (f", line {loc[3] + 1}" if len(loc) > 3 and isinstance(loc[3], int) else "")
    said = VENDOR_LABELS.get(head, "A field")
    return said + (f", line {loc[1] + 1}" if len(loc) > 1 and isinstance(loc[1], int) else "")


def _place(field: str) -> str:
    """The nearest slot on the form for a field's message (its own, or its offering's)."""
    field = re.sub(r"^offerings\[(\d+)\]", lambda m: f"offerings[{kept[int(m[1])]}]", field)
    while field and field not in slots:
        field = re.sub(r"(\[\d+\]|\.[^.\[]+)$", "", field)
    return field


checked, found = check_form(Vendor, proposed, _label)
# Shown once the vendor has asked for a check; a limit passed is said at once.
shown: list[FieldProblem] = [
    p
    for p in found
    if st.session_state.get("vendor_checked") or p.kind in ("string_too_long", "too_long")
]
under: dict[str, list[FieldProblem]] = {}
for p in shown:
    under.setdefault(_place(p.field), []).append(p)
for place, said in under.items():
    slots[place].error(bullet_text([str(p) for p in said]))
st.session_state["vendor_flagged"] = {
    int(m[1]) for place in under if (m := re.match(r"offerings\[(\d+)\]", place))
}

st.divider()
comment = st.text_area(
    f"Note for the curator (optional, at most {MAX_TEXT:,} characters)", key=f"{k}_comment"
)
if len(comment) > MAX_TEXT:
    st.error(
        f"Note for the curator: this is {len(comment):,} characters long and can hold at most "
        f"{MAX_TEXT:,}: please shorten it"
    )
b1, b2 = st.columns(2)
if b1.button("Check and preview", key="vendor_check"):
    st.session_state["vendor_checked"] = True
    st.session_state["vendor_preview"] = (
        vendor_preview(know.kb, checked, know.matching) if checked is not None else None
    )
    st.rerun()
if b2.button("Submit for review", key="vendor_propose", type="primary"):
    st.session_state["vendor_checked"] = True
    if found or len(comment) > MAX_TEXT:
        st.rerun()
    try:
        proposal = propose_change(
            db, who, "vendors", vendor_id, proposed, entry.version, comment.strip() or None
        )
    except InputError as exc:
        problems(exc, where="your entry")
    else:
        st.session_state["vendor_checked"] = False
        flash(f"Submitted for review as proposal #{proposal.id}.")
        st.switch_page("app_pages/vendor_history.py")

if shown:
    st.error(
        f"{len(shown)} thing(s) to put right before this can be submitted:\n\n"
        + bullet_text([str(p) for p in shown])
    )
elif found:
    st.caption("Choose Check and preview to see what still needs filling in.")
preview = st.session_state.get("vendor_preview")
if preview is not None and not found:
    st.header("Preview: how a council would see you")
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
