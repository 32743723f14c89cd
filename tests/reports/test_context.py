"""The report context: plain data, plain English, unsafe links dropped."""

from __future__ import annotations

from report_samples import sample_answers, sample_recommendation

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
    assert "Find out who owns the housing repairs data" in sample_report.find_out
    dont_know = [a for a in sample_report.answers if a.dont_know]
    assert [a.question_id for a in dont_know] == ["q_open_data"]


def test_area_sections_carry_evidence_and_next_level(sample_report: AssessmentReport) -> None:
    area = next(a for a in sample_report.areas if a.id == "data_aggregation_sharing")
    assert area.level == 1
    assert area.level_name == "Starting"
    assert area.evidence == ["q_dataset_register: no shared register of datasets"]
    assert area.holds_down
    assert area.find_out
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


def test_gap_reasons_say_why_it_is_a_priority_without_repeating_the_evidence() -> None:
    rec = sample_recommendation()
    gap = rec.gaps[0].model_copy(
        update={
            "why": [
                "level 1 of 5 (Starting)",
                "held down by: dag_register (Is there a register?): No",
                "your goal 'Earlier help': Schools -needs-> Data aggregation and sharing",
                "your goal: Schools -needs-> Data aggregation and sharing",
                "your goal: Social care services -needs-> Data aggregation and sharing",
                "your best-fit delivery model (strategic platform) leans on this area",
                "a strategic programme needs a reusable horizontal platform",
            ]
        }
    )
    rec = rec.model_copy(update={"gaps": [gap]})
    report = build_context(rec, KnowledgeBase(), sample_answers())
    assert report.gaps[0].why == [
        "Your best-fit delivery model (strategic platform) leans on this area",
        "Your goals need it: Schools and Social care services",
        "A strategic programme needs a reusable horizontal platform",
    ]
    assert report.gaps[0].why[0] in report.summary.why  # the first reason leads the summary too


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
