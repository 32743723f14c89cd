"""Graph-walk reasons become sentences for the printed report."""

from __future__ import annotations

import pytest

from advisor.reporting.plain import merged_reasons, plain_reason


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        (
            "gap: Application enablement (level 1) <-covers- Hub platform <-offers- BT",
            "BT",
            "It offers Hub platform, which covers your gap in application enablement (level 1)",
        ),
        (
            "gap: IT resources (computing and storage) (level 2) <-covers- Racks <-offers- BT",
            "BT",
            "It offers Racks, which covers your gap in IT resources (computing and storage) "
            "(level 2)",
        ),
        (
            "BT -offers-> Hub platform -fits-> Strategic platform (your best-fit model)",
            "BT",
            "It offers Hub platform, which fits the strategic platform model (your best fit)",
        ),
        (
            "BT -offers-> Hub platform -addresses-> Knowledge (your severity 2)",
            "BT",
            "It offers Hub platform, which addresses the knowledge barrier "
            "(severity 2 of 4 for you)",
        ),
        ("BT -on-> G-Cloud", "BT", "It is on G-Cloud"),
        (
            "BT -partner in-> MK:Smart and the MK Data Hub (a case study like yours, 0.51)",
            "BT",
            "It was a partner in MK:Smart and the MK Data Hub (a case study 51% like yours)",
        ),
        (
            "One Transport -fits-> Outreach (your fit 0.27)",
            "One Transport",
            "It fits the outreach model (a 27% fit for you)",
        ),
        (
            "One Transport -involves-> Public transport (bus, train) (in your goals)",
            "One Transport",
            "It involves Public transport (bus, train) (in your goals)",
        ),
        (
            "Leeds City Council -led-> Leeds Data Mill (similarity 0.60)",
            "Leeds City Council",
            "It led Leeds Data Mill (60% like your plans)",
        ),
        (
            "G-Cloud 15 call-off -uses-> G-Cloud <-on- BT",
            "G-Cloud 15 call-off",
            "It uses G-Cloud; BT is on G-Cloud",
        ),
        (
            "your goal 'Earlier help for families': Schools -needs-> Data aggregation and sharing",
            None,
            "Your goal 'Earlier help for families': Schools needs data aggregation and sharing",
        ),
        (
            "held down by: dag_register (Do departments share one register (who owns it)?): Some",
            None,
            "Held down by: Do departments share one register (who owns it)? – Some",
        ),
        (
            "legal_delays (Have legal concerns delayed a project?): Delayed one (memo: see file)",
            None,
            "Have legal concerns delayed a project? – Delayed one (memo: see file)",
        ),
        ("an SME, as you prefer", "Yoti", "an SME, as you prefer"),
        (
            "Find out [Security]: When was the plan last tested? (sec_incident_test)",
            None,
            "Find out [Security]: When was the plan last tested?",
        ),
        (
            "Palantir -offers-> data <-gap- you (level 1)",
            None,
            "Palantir offers data <-gap- you (level 1)",
        ),
    ],
)
def test_plain_reason(text: str, subject: str | None, expected: str) -> None:
    assert plain_reason(text, subject) == expected


def test_subject_is_only_it_when_it_is_the_item() -> None:
    said = plain_reason("Meeco -offers-> Consent hub", "BT")
    assert said == "Meeco offers Consent hub"


def test_what_one_offering_does_is_said_once() -> None:
    why = [
        "gap: Data aggregation and sharing (level 4) <-covers- Hub <-offers- BT",
        "BT -on-> G-Cloud",
        "gap: Application enablement (level 3) <-covers- Hub <-offers- BT",
        "gap: Security (level 2) <-covers- Network <-offers- BT",
        "gap: Data analysis (level 4) <-covers- Hub <-offers- BT",
        "BT -offers-> Hub -fits-> Strategic platform (your best-fit model)",
        "BT -offers-> Hub -addresses-> Knowledge (your severity 2)",
    ]
    assert merged_reasons(why, "BT") == [
        "It offers Hub, which covers your gaps in data aggregation and sharing (level 4), "
        "application enablement (level 3) and data analysis (level 4); fits the strategic "
        "platform model (your best fit); and addresses the knowledge barrier "
        "(severity 2 of 4 for you)",
        "It is on G-Cloud",
        "It offers Network, which covers your gap in security (level 2)",
    ]
