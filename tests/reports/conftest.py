"""Shared fixtures for the report tests."""

from __future__ import annotations

import pytest
from report_samples import REPORT_DATE, sample_answers, sample_recommendation

from advisor.kb.models import KnowledgeBase
from advisor.reporting.context import AssessmentReport, build_context
from advisor.reporting.theme import Theme, default_theme


@pytest.fixture
def theme() -> Theme:
    return default_theme()


@pytest.fixture
def sample_report() -> AssessmentReport:
    return build_context(
        sample_recommendation(),
        KnowledgeBase(),
        sample_answers(),
        assessed_by="Head of digital",
        report_date=REPORT_DATE,
    )
