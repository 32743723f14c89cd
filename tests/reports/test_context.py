"""The report context: plain data, plain English, unsafe links dropped."""

from __future__ import annotations

from report_samples import sample_answers, sample_recommendation

from advisor.explaining import KINDS, say
from advisor.kb.models import KnowledgeBase
from advisor.reporting.context import MAX_REASONS, AssessmentReport, build_context


def test_cover_names_body_date_assessor_and_bank_version(sample_report: AssessmentReport) -> None:
    cover = sample_report.cover
    assert cover.body_name == "Example Borough Council"
    assert cover.body_description == "metropolitan borough council, North East"
    assert cover.report_date == "2026-11-24"
    assert cover.assessed_by == "Head of digital"
    assert cover.questionnaire_version == "1.0"


def test_summary_says_where_you_stand_and_what_first(sample_report: AssessmentReport) -> None:
    summary = sample_report.summary
    assert summary.where_you_stand[0].startswith("Example Borough Council stands at level 2.0")
    assert "IT resources" in summary.where_you_stand[1]
    assert "legal (blocking)" in summary.where_you_stand[2]
    assert summary.do_first[0] == "Organise the work as a strategic platform."
    assert summary.headline_model == "Strategic platform"
    assert any("G-Cloud 15 direct award" in step for step in summary.do_first)


def test_only_plain_https_vendor_websites_survive(sample_report: AssessmentReport) -> None:
    sites = {v.name: v.website for v in sample_report.vendors}
    assert sites == {
        "Palantir Technologies": "https://www.palantir.com/",
        "Meeco": None,  # file:///etc/passwd
        "Yoti": None,  # http://169.254.169.254/...
    }


def test_dont_knows_become_find_out_actions(sample_report: AssessmentReport) -> None:
    assert "Find out: Is any data published openly?" in sample_report.find_out
    # a profile written by hand keeps its find-outs in the consultant's words
    assert "Find out whether data-sharing agreements exist" in sample_report.find_out
    assert len(sample_report.find_out) == len(set(sample_report.find_out))
    dont_know = [a for a in sample_report.answers if a.dont_know]
    assert [a.question_id for a in dont_know] == ["q_open_data"]


def test_area_sections_carry_evidence_and_next_level(sample_report: AssessmentReport) -> None:
    area = next(a for a in sample_report.areas if a.id == "data_aggregation_sharing")
    assert area.level == 1
    assert area.level_name == "Starting"
    assert area.heard == [
        "Are there data-sharing agreements with other agencies? \u2013 Yes, with the police",
        "Do departments share one register of datasets? \u2013 No "
        "(your note: each keeps its own spreadsheets)",
    ]
    assert area.find_out == ["Find out: Is any data published openly?"]
    assert area.next_level_name == "Emerging"
    assert area.next_level is not None
    assert "register of datasets" in area.next_level


def test_reason_lists_are_trimmed_for_print() -> None:
    rec = sample_recommendation()
    rec.vendors[0].why = [f"reason {n}" for n in range(10)]
    report = build_context(rec, KnowledgeBase(), [])
    assert len(report.vendors[0].why) == MAX_REASONS
    assert not report.answers_given


def test_context_dumps_to_plain_data_only(sample_report: AssessmentReport) -> None:
    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | float | bool)

    assert plain(sample_report.model_dump(mode="json"))
    assert sample_answers()[0].section == "Organisation"


def test_gap_reasons_say_why_it_is_a_priority_without_repeating_the_evidence(
    sample_report: AssessmentReport,
) -> None:
    """The level is in the heading; every goal that needs the area is named once, together."""
    assert sample_report.gaps[0].why == [
        "Your goals need it: hospitals and schools",
        "Strategic platform, the delivery model that fits you best, leans on it",
    ]
    assert (
        "Data aggregation and sharing comes first because your goals need it: hospitals and "
        "schools" in sample_report.summary.why
    )


def test_a_vendor_says_every_gap_one_offering_covers_in_one_sentence(
    sample_report: AssessmentReport,
) -> None:
    palantir = sample_report.vendors[0]
    need = sample_recommendation().vendors[0].reasons[0]
    assert palantir.why == [
        say(need),
        "It offers Gotham data platform, which covers data aggregation and sharing (level 1) "
        "and data analysis (level 2), among your top gaps",
        "It works in your region (it serves UK-wide)",
    ]
    assert palantir.frameworks == ["G-Cloud"]  # in the table, so not again among the reasons


def test_mitigations_carry_their_actions_as_a_list(sample_report: AssessmentReport) -> None:
    legal = next(b for b in sample_report.barriers if b.id == "legal")
    consent = legal.mitigations[0]
    assert consent.actions == ["Record consent per purpose.", "Give a non-digital route."]
    assert consent.description == "Residents decide what is shared, with whom and why."
    # that it eases the legal barrier goes without saying under the legal barrier
    assert consent.why == [
        "Warwickshire online Blue Badge service, a case study like yours, shows it at work"
    ]


def test_routes_leave_out_what_their_table_says(sample_report: AssessmentReport) -> None:
    route = sample_report.procurement[0]
    assert route.rule == "Buy from the catalogue after comparing services"
    assert len(route.why) == 1
    assert route.why[0].startswith("Your likely spend of \u00a3250,000 is at or above")


def test_summary_names_the_first_case_vendor_step_and_every_caution(
    sample_report: AssessmentReport,
) -> None:
    summary = sample_report.summary
    steps = " ".join(summary.do_first)
    rec = sample_recommendation()
    case_need = rec.case_studies[0].reasons[0]
    vendor_need = rec.vendors[0].reasons[0]
    assert (
        f"Learn from Sunderland Intelligence Hub: {KINDS[case_need.kind](case_need)}."
        in summary.do_first
    )
    assert (
        f"Talk first to Palantir Technologies: {KINDS[vendor_need.kind](vendor_need)}."
        in summary.do_first
    )
    assert "In 0-3 months, talk to Sunderland City Council about what they learned." in steps
    assert "ease the legal barrier" not in steps  # said by the barrier's own step
    assert summary.cautions == [
        "Your budget of \u00a3250,000 is below the \u00a3400,000 a strategic platform usually "
        "needs; it can fund a digital hit team approach to start with."
    ]
    assert summary.confidence_heading is None  # good: the counts say it
    assert summary.confidence == [
        "The advice rests on 40 answers; 1 question was answered \u201cdon't know\u201d (2%)."
    ]
    assert not summary.starting_list


def _with_confidence(level: str, starting_list: bool = False) -> AssessmentReport:
    from advisor.recommendation import Confidence, Reason, RoadmapStage

    rec = sample_recommendation()
    counts = Reason(
        kind="confidence_counts", figures={"answered": 12, "unknown": 30, "share": 0.71}
    )
    reasons = [counts, Reason(kind="confidence_low_means")] if level == "low" else [counts]
    first = Reason(kind="find_out", figures={"question": "Who owns the housing data?"})
    stage = RoadmapStage(
        id="prepare",
        name="Find out first",
        months="0-3 months",
        actions=["Find out: Who owns the housing data?"],
        steps=[first],
    )
    rec = rec.model_copy(
        update={
            "confidence": Confidence(
                level=level,  # type: ignore[arg-type]
                answered=12,
                unknown=30,
                reasons=reasons,
                starting_list=starting_list,
            ),
            "roadmap": [stage, *rec.roadmap[1:]],
        }
    )
    return build_context(rec, KnowledgeBase(), [])


def test_low_confidence_finds_out_first_and_offers_a_starting_list() -> None:
    report = _with_confidence("low", starting_list=True)
    summary = report.summary
    assert summary.do_first[0] == "In 0-3 months, find out: Who owns the housing data?."
    assert summary.confidence_heading is not None
    assert "starting list to explore, not a recommendation" in summary.confidence_heading
    assert "The advice rests on 12 answers; 30 questions were answered" in summary.confidence[0]
    assert any(
        "from a starting list to explore, not a recommendation" in step for step in summary.do_first
    )
    assert summary.starting_list
    assert report.vendors_heading == "Vendors: a starting list"
    assert report.vendors_intro is not None


def test_fair_confidence_says_the_first_stage_is_finding_out() -> None:
    report = _with_confidence("fair")
    lines = report.summary.confidence
    assert "The first stage (0-3 months) is finding out what is not known yet." in lines
    assert "Read the vendors as a starting list to explore, not a recommendation." in lines
    assert report.vendors_heading == "Vendor shortlist"
    assert report.vendors_intro is not None


def test_stated_figures_are_said_to_be_set_by_hand() -> None:
    from advisor.recommendation import Confidence, Reason

    rec = sample_recommendation()
    stated = Confidence(
        level="stated", answered=0, unknown=0, reasons=[Reason(kind="confidence_stated")]
    )
    report = build_context(rec.model_copy(update={"confidence": stated}), KnowledgeBase())
    said = " ".join([report.summary.confidence_heading or "", *report.summary.confidence])
    assert "set by hand" in said


def test_ties_are_said_in_the_summary(sample_report: AssessmentReport) -> None:
    """Meeco and Yoti tie in the sample, but not with the first vendor: nothing to say there."""
    assert not any("score almost the same" in step for step in sample_report.summary.do_first)
    rec = sample_recommendation()
    tied = [rec.vendors[0], rec.vendors[1].model_copy(update={"tie": True}), *rec.vendors[2:]]
    report = build_context(rec.model_copy(update={"vendors": tied}), KnowledgeBase())
    assert (
        "Palantir Technologies, Meeco and Yoti score almost the same: treat them as equals."
        in report.summary.do_first
    )


def test_a_weak_best_fit_is_not_recommended_outright() -> None:
    rec = sample_recommendation()
    weak = [m.model_copy(update={"recommended": False}) for m in rec.delivery_models]
    report = build_context(rec.model_copy(update={"delivery_models": weak}), KnowledgeBase())
    first = report.summary.do_first[0]
    assert first.startswith("Choose how to deliver once the barriers below are in hand")
    assert "the closest is a strategic platform, 82% fit" in first
    assert not any(m.recommended for m in report.delivery_models)
    assert (
        report.summary.headline_model == "None fits clearly yet (closest: Strategic platform, 82%)"
    )
