"""The curator's 'Suppliers from awards' page: suppliers found in public contract awards are
listed in plain words, and confirming, merging or rejecting one changes the live knowledge base
(AppTest through the entrypoint)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from harness import signed_in
from test_user_text import app_texts, problems

from advisor.kb.market_rules import bundled_market_rules
from advisor.kb.models import AwardSupplier
from advisor.services.accounts import sign_in
from advisor.services.awards import import_awards, review_supplier, suppliers_to_review
from advisor.services.errors import PermissionDenied
from advisor.services.kb_revisions import live_knowledge_base
from advisor.services.permissions import OPERATOR
from advisor.services.supplier_review import (
    VendorChoice,
    identifier_words,
    likely_vendors,
    suppliers_for_review,
)
from advisor.store.database import Database

FIXTURES = Path(__file__).resolve().parents[1] / "awards" / "fixtures"
PAGE = "app_pages/supplier_review.py"
HOSTILE = "Zeta **Data** [Offer](https://evil.example/x) <b>Ltd</b>"


def _release(ocid: str, supplier: str) -> dict[str, Any]:
    """An award of £45,000 by Leeds to ``supplier`` (named only), for digital identity checks."""
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2025-06-02T09:00:00Z",
        "tag": ["award"],
        "buyer": {"name": "Leeds City Council"},
        "tender": {
            "id": "T9",
            "title": "Digital identity checks for resident accounts",
            "classification": {"scheme": "CPV", "id": "72300000"},
        },
        "awards": [
            {
                "id": "A9",
                "status": "active",
                "date": "2025-05-20T00:00:00Z",
                "value": {"amount": 45000, "currency": "GBP"},
                "suppliers": [{"name": supplier}],
                "contractPeriod": {
                    "startDate": "2025-06-01T00:00:00Z",
                    "endDate": "2026-05-31T23:59:59Z",
                },
            }
        ],
    }


def _extra_awards(folder: Path) -> Path:
    """A supplier whose name is like a vendor's (Yoti) but matches none, and one whose name is
    written as markdown (a notice is public text: anyone could have typed it)."""
    releases = [
        _release("ocds-h6vhtk-5e1e01", "Yoti Digital Ltd"),
        _release("ocds-h6vhtk-5e1e02", HOSTILE),
    ]
    path = folder / "extra_awards.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in releases), encoding="utf-8")
    return path


@pytest.fixture
def awards_on_file(store: Database, tmp_path: Path) -> Database:
    import_awards(
        store,
        OPERATOR,
        [
            FIXTURES / "contracts_finder_2025.json",
            FIXTURES / "constructed.jsonl",
            _extra_awards(tmp_path),
        ],
    )
    return store


def _supplier(store: Database, name: str) -> AwardSupplier:
    found = [s for s in suppliers_to_review(live_knowledge_base(store).kb, None) if s.name == name]
    assert len(found) == 1, name
    return found[0]


def _page(accounts):
    at = signed_in(accounts["curator"], timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _said(elements) -> list[str]:
    """Elements' text as a reader sees it (markdown escapes taken out)."""
    return [e.value.replace("\\", "").replace("\u2060", "") for e in elements]


def _listed(at) -> list[str]:
    return _said(at.subheader)


def _shown(at) -> str:
    return "\n".join(_said(at.markdown))


def test_curator_sees_unmatched_suppliers_in_plain_words(awards_on_file, accounts):
    at = _page(accounts)
    assert at.title[0].value == "Suppliers from awards"
    assert _said(at.caption)[0] == "15 suppliers from public awards waiting for review."
    first = _listed(at)
    assert len(first) == 10  # a page at a time
    assert "Gartner UK Ltd" in first
    assert "Insightful Data Limited" in first
    shown = _shown(at)
    at.button(key="suppliers_next").click().run()
    assert "Page 2 of 2" in _shown(at)
    listed = first + _listed(at)
    assert listed == sorted(listed, key=str.casefold)
    assert len(listed) == 15
    assert "Meeco Ltd" not in listed  # matched to the vendor Meeco: nothing to review
    shown += _shown(at)
    assert "Identified in the notices by: Companies House number 10161344." in shown  # Aker
    # Insightful Data: one award from Leeds, one from Kirklees (matched by its identifier)
    assert "Named in 2 awards worth £330,000 in all." in shown
    assert "Bought by: Kirklees Council, Leeds City Council." in shown
    assert "Awarded between February 2025 and May 2025." in shown
    assert "May be the same company as this vendor on file, by its name: Yoti." in shown
    # no ids, scheme codes or status values of the knowledge base
    for raw in ("not_reviewed", "GB-COH", "insightful_data", "yoti_digital", "ocds-"):
        assert raw not in shown
    vendor_box = at.selectbox(
        key=f"suppliers_vendor_{_supplier(awards_on_file, 'Yoti Digital Ltd').id}"
    )
    assert vendor_box.value.name == "Yoti"  # the likely vendor is offered first
    assert "Meeco" in vendor_box.options


def test_finding_a_supplier_by_name(awards_on_file, accounts):
    at = _page(accounts)
    at.text_input(key="suppliers_find").input("civica").run()
    assert _listed(at) == ["Civica Election Services Ltd", "Civica Uk Ltd"]
    at.text_input(key="suppliers_find").input("no such company").run()
    assert _listed(at) == []
    assert _said(at.info) == ["No supplier from public awards has a name holding those words."]


def test_confirming_a_supplier_marks_it_reviewed_and_drops_it_from_the_list(
    awards_on_file, accounts
):
    gartner = _supplier(awards_on_file, "Gartner UK Ltd")
    at = _page(accounts)
    at.button(key=f"suppliers_confirm_{gartner.id}").click().run()
    assert not at.exception, at.exception
    assert _supplier(awards_on_file, "Gartner UK Ltd").status == "confirmed"
    assert _said(at.success) == [
        "Gartner UK Ltd is confirmed as a real supplier: no longer marked as not reviewed."
    ]
    assert "Gartner UK Ltd" not in _listed(at)


def test_merging_into_a_vendor_chosen_by_name(awards_on_file, accounts):
    solirius = _supplier(awards_on_file, "Solirius Ltd")
    at = _page(accounts)
    box = at.selectbox(key=f"suppliers_vendor_{solirius.id}")
    assert box.value is None  # no similar name: the curator chooses
    box.select_index(box.options.index("Meeco")).run()
    at.button(key=f"suppliers_merge_{solirius.id}").click().run()
    assert not at.exception, at.exception
    after = _supplier(awards_on_file, "Solirius Ltd")
    assert (after.status, after.merged_into) == ("merged", "meeco")
    assert _said(at.success) == [
        "Solirius Ltd is merged into Meeco: its awards now count for Meeco."
    ]
    assert "Solirius Ltd" not in _listed(at)


def test_merging_offers_the_likely_vendor_and_needs_one_chosen(awards_on_file, accounts):
    yoti = _supplier(awards_on_file, "Yoti Digital Ltd")
    tyrus = _supplier(awards_on_file, "Tyrus Limited")
    at = _page(accounts)
    at.button(key="suppliers_next").click().run()  # both are on the second page
    at.button(key=f"suppliers_merge_{tyrus.id}").click().run()  # no vendor chosen
    assert _said(at.error) == ["Choose the vendor Tyrus Limited is the same company as first."]
    assert _supplier(awards_on_file, "Tyrus Limited").status == "not_reviewed"
    at.button(key=f"suppliers_merge_{yoti.id}").click().run()
    assert not at.exception, at.exception
    after = _supplier(awards_on_file, "Yoti Digital Ltd")
    assert (after.status, after.merged_into) == ("merged", "yoti")
    at.toggle(key="suppliers_show_reviewed").set_value(True).run()
    at.text_input(key="suppliers_find").input("yoti").run()
    assert _listed(at) == ["Yoti Digital Ltd"]
    assert "Decision: Merged into Yoti." in _shown(at)


def test_rejecting_and_showing_reviewed_suppliers(awards_on_file, accounts):
    netwave = _supplier(awards_on_file, "Netwave Solutions Ltd")
    at = _page(accounts)
    at.button(key=f"suppliers_reject_{netwave.id}").click().run()
    assert not at.exception, at.exception
    assert _supplier(awards_on_file, "Netwave Solutions Ltd").status == "rejected"
    assert _said(at.success) == [
        "Netwave Solutions Ltd is rejected: its awards now count for no supplier."
    ]
    assert "Netwave Solutions Ltd" not in _listed(at)
    at.toggle(key="suppliers_show_reviewed").set_value(True).run()
    assert "Netwave Solutions Ltd" in _listed(at)
    shown = _shown(at)
    assert "Decision: Rejected: not a supplier." in shown
    assert "The notices give no company identifier, only its name." in shown
    assert "Named in 1 award, with no value in pounds given." in shown


def test_a_non_curator_cannot_reach_or_use_the_page(awards_on_file, settings, accounts):
    at = signed_in(accounts["lead"], timeout=60)
    # the page is not among a council lead's pages: there is no way to open it
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
    # and the services refuse a non-curator, whatever the way in
    lead = sign_in(awards_on_file, settings, accounts["lead"].email, accounts["lead"].password)
    gartner = _supplier(awards_on_file, "Gartner UK Ltd")
    with pytest.raises(PermissionDenied):
        suppliers_for_review(awards_on_file, lead)
    with pytest.raises(PermissionDenied):
        review_supplier(awards_on_file, lead, gartner.id, "reject")
    assert _supplier(awards_on_file, "Gartner UK Ltd").status == "not_reviewed"


def test_likely_vendors_and_identifiers_in_words():
    rules = bundled_market_rules().names
    vendors = [
        VendorChoice("yoti", "Yoti"),
        VendorChoice("meeco", "Meeco"),
        VendorChoice("bt", "BT"),
    ]
    named = {"y": [("yoti", vendors[0])], "m": [("meeco", vendors[1])], "b": [("bt", vendors[2])]}
    assert likely_vendors("YOTI DIGITAL LIMITED", named, rules) == (vendors[0],)
    assert likely_vendors("Meeko Ltd", named, rules) == (vendors[1],)  # spelt nearly alike
    assert likely_vendors("Tyrus Limited", named, rules) == ()
    assert likely_vendors("BTS Software", named, rules) == ()  # not a word of its own
    assert identifier_words("GB-COH-01616977") == "Companies House number 01616977"
    assert identifier_words("XI-LEI-5493001KJTIIGC8Y1R12") == "XI-LEI-5493001KJTIIGC8Y1R12"


def test_a_supplier_name_written_as_markdown_is_shown_as_text(awards_on_file, accounts):
    at = _page(accounts)
    at.text_input(key="suppliers_find").input("zeta").run()
    assert _listed(at) == [HOSTILE]  # every character, escaped: no bold, link or tag
    assert "\\[Offer\\]\\(" in at.subheader[0].value
    assert "\\*\\*Data\\*\\*" in at.subheader[0].value
    assert all("](https" not in m.value for m in at.markdown)


def test_every_text_on_the_page_is_plain(awards_on_file, accounts):
    """No id of the knowledge base (vocabulary, vendors, suppliers, awards) in any text."""
    gartner = _supplier(awards_on_file, "Gartner UK Ltd")
    review_supplier(awards_on_file, OPERATOR, gartner.id, "merge", "meeco")
    at = _page(accounts)
    at.toggle(key="suppliers_show_reviewed").set_value(True).run()
    texts = app_texts(at)
    at.button(key="suppliers_next").click().run()
    texts += app_texts(at)
    kb = live_knowledge_base(awards_on_file).kb
    ids = {s.id for s in kb.suppliers} | {a.id for a in kb.awards}
    read = [t.replace("\\", "") for t in texts]
    assert problems("suppliers page", texts) == []
    assert [(i, t) for t in read for i in ids if "_" in i and i in t] == []
    assert any("Decision: Merged into Meeco." in t for t in read)
