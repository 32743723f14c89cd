"""What importing the fixtures must give (shared by the folder and store tests)."""

from __future__ import annotations

from advisor.kb.models import KnowledgeBase

FIRST_SKIPPED = {
    "a release with no date": 1,
    "a release with no identifier (ocid)": 1,
    "an award with no supplier named": 1,
    "no award yet (a plan or tender only)": 1,
    "not about technology (no CPV code or words for a technology area)": 3,
    "the same award published under another identifier (OCID)": 1,
}
FIRST_NOTED = {
    "a supplier name that is the notice's title, set aside": 1,
    "a value in another currency, kept unconverted": 1,
    "a value missing, kept without one": 1,
    "a withheld supplier, award kept without one": 1,
    "an empty supplier name, set aside": 1,
    "an unrealistic date, set aside": 2,
}
IMPORTED = 17  # 11 real Contracts Finder processes and 6 constructed ones


def check_first_import(kb: KnowledgeBase) -> None:
    """The bodies, vendors, suppliers and awards the first import gives."""
    by_id = {a.id: a for a in kb.awards}
    assert len(by_id) == IMPORTED
    camden = by_id["ocds_h6vhtk_0c1a01"]  # tender and award releases compiled into one
    assert camden.title == "Resident data platform"
    assert camden.buyer.match == "camden_council"
    assert camden.buyer_kind == "london_borough"
    assert camden.framework == "g_cloud"
    assert camden.framework_text == "Call-off from G-Cloud 14 Lot 2"
    award = camden.awards[0]
    assert (award.value_gbp, str(award.end)) == (1_200_000, "2027-04-30")
    assert (award.suppliers[0].match, award.suppliers[0].match_kind) == ("meeco", "vendor")
    assert str(camden.notice_url) == "https://www.find-tender.service.gov.uk/Notice/000202-2025"
    merton = by_id["ocds_b5fd17_deddd0f5_7f54_41ae_9c16_bbd0e5933625"]
    assert merton.buyer.name == "London Borough of Merton"
    assert merton.buyer.match is None
    assert str(merton.notice_url).startswith("https://www.contractsfinder.service.gov.uk/Notice/")
    peterborough = by_id["ocds_b5fd17_70d8c1aa_0dd0_4d0f_a42d_1468e14cce00"]
    assert peterborough.buyer.match == "peterborough_city_council"
    assert "ocds_b5fd17_0c1a0007" not in by_id or "ocds_h6vhtk_0c1a02" not in by_id
    euros = by_id["ocds_h6vhtk_0c1a05"].awards[0]
    assert (euros.value_gbp, euros.currency, euros.amount) == (None, "EUR", 90000.0)
    assert euros.awarded_on is None
    assert euros.end is None
    withheld = by_id["ocds_h6vhtk_0c1a04"].awards[0]
    assert withheld.withheld
    assert not withheld.suppliers
    suppliers = {s.id: s for s in kb.suppliers}
    insightful = suppliers["insightful_data"]  # one entry for two spellings
    assert insightful.status == "not_reviewed"
    assert insightful.identifiers == ["GB-COH-07654321"]
    assert "meeco" not in suppliers
    assert "yoti" not in suppliers
    assert "bytes_software_services" not in suppliers  # not in these fixtures
