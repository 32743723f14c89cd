"""Curator: suppliers found in public contract awards that match no vendor on file. Confirm each
as a real supplier, merge it into the vendor it is, or reject it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import flash, require_principal
from advisor.app.ui import bullets, escape_markdown, problems
from advisor.errors import InputError
from advisor.services.awards import Decision, review_supplier
from advisor.services.errors import NotFoundError, ServiceError
from advisor.services.supplier_review import SupplierToReview, VendorChoice, suppliers_for_review

who = require_principal()
db = database()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _month(d: date) -> str:
    return d.strftime("%B %Y")


def facts(s: SupplierToReview) -> list[str]:
    """What the awards say about a supplier, one plain sentence a line."""
    lines = [f"Decision: {s.decision}."] if s.reviewed else []
    if s.identifiers:
        lines.append(f"Identified in the notices by: {', '.join(s.identifiers)}.")
    else:
        lines.append("The notices give no company identifier, only its name.")
    said = f"Named in {_plural(s.awards, 'award')}"
    if s.value_gbp:
        said += f" worth £{s.value_gbp:,} in all"
        if s.without_value:
            said += f" ({s.without_value} of them with no value in pounds)"
    elif s.awards:
        said += ", with no value in pounds given"
    lines.append(said + "." if s.awards else "No award on file names it any more.")
    if s.buyers:
        lines.append(f"Bought by: {', '.join(s.buyers)}.")
    if s.first_awarded and s.last_awarded:
        when = _month(s.first_awarded)
        if s.last_awarded != s.first_awarded:
            when = f"between {when} and {_month(s.last_awarded)}"
        else:
            when = f"in {when}"
        lines.append(f"Awarded {when}.")
    if s.likely_vendors:
        names = ", ".join(v.name for v in s.likely_vendors)
        lines.append(f"May be the same company as this vendor on file, by its name: {names}.")
    else:
        lines.append("No vendor on file has a similar name.")
    if s.note:
        lines.append(f"Note: {s.note}")
    return lines


def _done(s: SupplierToReview, decision: Decision, vendor: VendorChoice | None) -> str:
    if decision == "confirm":
        return f"{s.name} is confirmed as a real supplier: no longer marked as not reviewed."
    if decision == "merge" and vendor is not None:
        return f"{s.name} is merged into {vendor.name}: its awards now count for {vendor.name}."
    return f"{s.name} is rejected: its awards now count for no supplier."


def _decide(s: SupplierToReview, decision: Decision, vendor: VendorChoice | None) -> None:
    try:
        review_supplier(db, who, s.id, decision, vendor.id if vendor else None)
    except NotFoundError:
        st.error(
            f"{escape_markdown(s.name)} is no longer on file as a supplier from public awards, "
            "so nothing was recorded. The list below is up to date."
        )
    except InputError as exc:
        if decision == "merge" and vendor is not None:  # the vendor went since the page was read
            st.error(
                f"{escape_markdown(s.name)} was not merged: {escape_markdown(vendor.name)} is "
                "no longer a vendor on file. Choose the vendor again from the list."
            )
        else:
            problems(exc, where=f"the decision on {escape_markdown(s.name)}")
    except ServiceError as exc:
        st.error(escape_markdown(str(exc)))
    else:
        flash(_done(s, decision, vendor))
        st.rerun()


def _vendor_options(s: SupplierToReview, vendors: list[VendorChoice]) -> list[VendorChoice]:
    likely = list(s.likely_vendors)
    return likely + [v for v in vendors if v not in likely]


def _first_page() -> None:
    st.session_state["suppliers_page"] = 1


def _turn(by: int) -> None:
    st.session_state["suppliers_page"] = st.session_state.get("suppliers_page", 1) + by


st.title("Suppliers from awards")
st.markdown(
    "Suppliers named in public contract awards that match no vendor on file. Until you review "
    "one, the advice says it has not been reviewed. **Confirm** a real supplier, **merge** it "
    "into the vendor it is (its awards then count for that vendor), or **reject** it (its "
    "awards then count for no one)."
)
c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
wanted = c1.text_input(
    "Find a supplier by name", max_chars=200, key="suppliers_find", on_change=_first_page
)
show_reviewed = c2.toggle(
    "Show reviewed suppliers too", key="suppliers_show_reviewed", on_change=_first_page
)
review = suppliers_for_review(
    db,
    who,
    reviewed=show_reviewed,
    name=wanted,
    page=int(st.session_state.get("suppliers_page", 1)),
)
st.session_state["suppliers_page"] = review.page
st.caption(
    f"{_plural(review.waiting, 'supplier')} from public awards waiting for review"
    + (
        f"; {review.found} with a name holding “{escape_markdown(wanted.strip())}”."
        if wanted.strip()
        else "."
    )
)
if not review.suppliers:
    if wanted.strip():
        st.info("No supplier from public awards has a name holding those words.")
    elif show_reviewed:
        st.info("No supplier from public awards is on file.")
    else:
        st.success("No suppliers from public awards are waiting for review.")

for s in review.suppliers:
    with st.container(border=True, key=f"suppliers_{s.id}"):
        st.subheader(escape_markdown(s.name))
        bullets(facts(s))
        options = _vendor_options(s, review.vendors)
        vendor = st.selectbox(
            "Same company as this vendor (to merge)",
            options=options,
            index=0 if s.likely_vendors else None,
            format_func=lambda v: v.name,
            placeholder="Choose a vendor by its name",
            key=f"suppliers_vendor_{s.id}",
        )
        c1, c2, c3 = st.columns(3)
        if c1.button("Confirm as a real supplier", key=f"suppliers_confirm_{s.id}"):
            _decide(s, "confirm", None)
        if c2.button("Merge into the vendor", key=f"suppliers_merge_{s.id}"):
            if vendor is None:
                st.error(
                    f"Choose the vendor {escape_markdown(s.name)} is the same company as first."
                )
            else:
                _decide(s, "merge", vendor)
        if c3.button("Reject: not a supplier", key=f"suppliers_reject_{s.id}"):
            _decide(s, "reject", None)

if review.pages > 1:
    c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="center")
    c1.button(
        "Previous page",
        key="suppliers_previous",
        disabled=review.page == 1,
        on_click=_turn,
        args=(-1,),
    )
    c2.markdown(f"Page {review.page} of {review.pages}")
    c3.button(
        "Next page",
        key="suppliers_next",
        disabled=review.page == review.pages,
        on_click=_turn,
        args=(1,),
    )
