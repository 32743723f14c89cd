"""A proposal's changes read as field names and values by their names, never YAML or ids."""

from __future__ import annotations

from advisor.services.entry_changes import Change, entry_changes

NAMES = {
    ("framework", "g_cloud"): "G-Cloud",
    ("framework", "crown_hosting"): "Crown Hosting",
    ("model", "strategic_platform"): "Strategic platform",
    ("area", "security"): "Security",
}


def name_of(kind: str, ref: str) -> str:
    return NAMES[(kind, ref)]


BEFORE = {
    "id": "acme",
    "name": "Acme",
    "sme": True,
    "frameworks": ["g_cloud"],
    "offerings": [
        {"id": "acme_vault", "name": "Vault", "technology_areas": ["security"]},
        {"id": "acme_old", "name": "Old thing", "technology_areas": ["security"]},
    ],
}


def test_changes_are_said_in_words() -> None:
    after = {
        **BEFORE,
        "sme": False,
        "frameworks": ["g_cloud", "crown_hosting"],
        "offerings": [
            {
                "id": "acme_vault",
                "name": "Vault",
                "technology_areas": ["security"],
                "delivery_models": ["strategic_platform"],
                "price_min_gbp": 12000,
            },
            {"id": "acme_new", "name": "New thing", "technology_areas": ["security"]},
        ],
    }
    assert entry_changes(BEFORE, after, name_of) == [
        Change("Small or medium-sized enterprise", "yes", "no"),
        Change("Frameworks", "G-Cloud", "G-Cloud and Crown Hosting"),
        Change("Offering 'Vault': delivery models", "", "Strategic platform"),
        Change("Offering 'Vault': price from", "", "£12,000"),
        Change("Offering 'Old thing' removed", "name: Old thing; technology areas: Security", ""),
        Change("New offering 'New thing'", "", "name: New thing; technology areas: Security"),
    ]


def test_an_unchanged_entry_has_no_change_and_a_new_one_lists_its_fields() -> None:
    assert entry_changes(BEFORE, dict(BEFORE), name_of) == []
    fresh = entry_changes(None, {"id": "x", "name": "X", "frameworks": ["g_cloud"]}, name_of)
    assert fresh == [Change("Name", "", "X"), Change("Frameworks", "", "G-Cloud")]
