"""The profile: the assessment's result, and a consultant's quick input (DESIGN.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from advisor.base import Line, Name, Note, StrictModel, Text
from advisor.evidence import AnswerRef
from advisor.vocabulary import (
    BarrierId,
    DataUse,
    Deployment,
    ExternalFunding,
    FrameworkId,
    OrgKind,
    Scope,
    ServiceInnovation,
    TechnologyAreaId,
)

Severity = Annotated[int, Field(strict=True, ge=0, le=4)]
"""A barrier's severity: a whole number 0-4 (true/false and 2.0 are refused)."""
Level = Annotated[int, Field(strict=True, ge=1, le=5)]
"""A maturity level: a whole number 1-5."""
Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
MAX_BUDGET_GBP = 10**13
MAX_ITEMS = 1000
"""Most entries in one of a profile's lists."""


class Organisation(StrictModel):
    name: Name
    kind: OrgKind = OrgKind.other
    region: Line | None = None


class Factors(StrictModel):
    """The four project factors of the report's section 2."""

    scope: Scope = Scope.tactical
    service_innovation: ServiceInnovation = ServiceInnovation.existing
    data_use: DataUse = DataUse.internal
    deployment: Deployment = Deployment.it_department


class Barriers(StrictModel):
    """Barrier severity, 0 (none) to 4 (blocking). Missing barriers default to 0."""

    financial: Severity = 0
    knowledge: Severity = 0
    technology: Severity = 0
    culture: Severity = 0
    legal: Severity = 0
    political: Severity = 0

    def get(self, barrier: BarrierId) -> int:
        return int(getattr(self, barrier.value))


class Maturity(StrictModel):
    """Maturity level 1-5 per technology area. Missing areas default to 1."""

    it_resources: Level = 1
    connectivity: Level = 1
    data_aggregation_sharing: Level = 1
    data_analysis: Level = 1
    personal_identity_data_management: Level = 1
    application_enablement: Level = 1
    security: Level = 1

    def get(self, area: TechnologyAreaId) -> int:
        return int(getattr(self, area.value))


class Constraints(StrictModel):
    budget_gbp: Annotated[int, Field(strict=True, ge=0, le=MAX_BUDGET_GBP)] | None = None
    """Likely whole-life spend, VAT included; none when unknown."""
    prefer_sme: bool = False
    external_funding: ExternalFunding = ExternalFunding.none
    frameworks: list[FrameworkId] = Field(default_factory=list, max_length=20)
    """Frameworks the body wants to buy through (framework ids); empty means any."""


class Evidence(StrictModel):
    """Why a figure in the profile has its value: the answers behind it, and how many."""

    sets: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Human-readable answers that set or raise the figure."""
    holds_down: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Answers that keep the figure from being higher."""
    find_out: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Questions answered "don't know": things to find out."""
    answered: Count = 0
    """How many known answers the figure rests on (0 for a figure written by hand)."""
    unknown: Count = 0
    """How many of the figure's questions were answered "don't know"."""
    answers: list[AnswerRef] = Field(default_factory=list, max_length=MAX_ITEMS)
    """The answers behind the figure, those that set or raise it first, then those that hold
    it down, then the "don't know" answers."""
    raised_by: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Question ids of the answers that set or raise the figure (a subset of ``answers``)."""
    capped: Literal["one_answer", "mostly_unknown"] | None = None
    """Which limit of scoring.yaml ``unknown`` changed the figure, if one did."""
    uncapped: Annotated[int, Field(strict=True, ge=0, le=5)] | None = None
    """The figure before that limit."""
    by_hand: bool = False
    """True when the figure was set by hand (a what-if, or a consultant's edit)."""


DEPRECATED_PROFILE_KEYS = ("model_fit", "model_reasons", "silo")
"""Keys older profiles carry: read and ignored. Delivery-model fit and the departmental silo are
worked out at match time from the profile and its answers (knowledge_base/matching.yaml)."""


class Profile(StrictModel):
    """Where a body stands. Written by scoring, or by hand by a consultant."""

    organisation: Organisation
    factors: Factors = Field(default_factory=Factors)
    barriers: Barriers = Field(default_factory=Barriers)
    maturity: Maturity = Field(default_factory=Maturity)
    goals: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Knowledge-base ids or names (touchpoints, opportunities), or free text."""
    constraints: Constraints = Field(default_factory=Constraints)
    questionnaire_version: Line | None = None
    """Version of the question bank this profile was scored with; none if written by hand."""
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    """Evidence per figure, keyed 'maturity.<area>', 'barriers.<barrier>', 'factors.<factor>'."""
    answer_refs: dict[str, AnswerRef] = Field(default_factory=dict)
    """The answers the profile was scored from, by question id (only questions the respondent
    saw; none when written by hand). Delivery-model rules on answers read these."""
    find_out: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
    """Find-out actions from "don't know" answers."""

    @model_validator(mode="before")
    @classmethod
    def _drop_deprecated(cls, data: Any) -> Any:
        """Older profiles carried scoring's frozen model fit and silo flag: accept, ignore."""
        if isinstance(data, dict) and any(k in data for k in DEPRECATED_PROFILE_KEYS):
            data = {k: v for k, v in data.items() if k not in DEPRECATED_PROFILE_KEYS}
        return data

    def overall_maturity(self) -> float:
        values = [self.maturity.get(a) for a in TechnologyAreaId]
        return round(sum(values) / len(values), 1)
