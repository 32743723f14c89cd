"""The profile: the assessment's result, and a consultant's quick input (DESIGN.md)."""

from __future__ import annotations

from pydantic import Field

from advisor.base import StrictModel, Text
from advisor.vocabulary import (
    BarrierId,
    DataUse,
    Deployment,
    ExternalFunding,
    OrgKind,
    Scope,
    ServiceInnovation,
    TechnologyAreaId,
)


class Organisation(StrictModel):
    name: Text
    kind: OrgKind = OrgKind.other
    region: str | None = None


class Factors(StrictModel):
    """The four project factors of the report's section 2."""

    scope: Scope = Scope.tactical
    service_innovation: ServiceInnovation = ServiceInnovation.existing
    data_use: DataUse = DataUse.internal
    deployment: Deployment = Deployment.it_department


class Barriers(StrictModel):
    """Barrier severity, 0 (none) to 4 (blocking). Missing barriers default to 0."""

    financial: int = Field(default=0, ge=0, le=4)
    knowledge: int = Field(default=0, ge=0, le=4)
    technology: int = Field(default=0, ge=0, le=4)
    culture: int = Field(default=0, ge=0, le=4)
    legal: int = Field(default=0, ge=0, le=4)
    political: int = Field(default=0, ge=0, le=4)

    def get(self, barrier: BarrierId) -> int:
        return int(getattr(self, barrier.value))


class Maturity(StrictModel):
    """Maturity level 1-5 per technology area. Missing areas default to 1."""

    it_resources: int = Field(default=1, ge=1, le=5)
    connectivity: int = Field(default=1, ge=1, le=5)
    data_aggregation_sharing: int = Field(default=1, ge=1, le=5)
    data_analysis: int = Field(default=1, ge=1, le=5)
    personal_identity_data_management: int = Field(default=1, ge=1, le=5)
    application_enablement: int = Field(default=1, ge=1, le=5)
    security: int = Field(default=1, ge=1, le=5)

    def get(self, area: TechnologyAreaId) -> int:
        return int(getattr(self, area.value))


class Constraints(StrictModel):
    budget_gbp: int | None = Field(default=None, ge=0)
    """Likely whole-life spend, VAT included; none when unknown."""
    prefer_sme: bool = False
    external_funding: ExternalFunding = ExternalFunding.none
    frameworks: list[str] = Field(default_factory=list)
    """Frameworks the body wants to buy through (framework ids); empty means any."""


class Evidence(StrictModel):
    """Why a figure in the profile has its value: the answers behind it."""

    sets: list[str] = Field(default_factory=list)
    """Human-readable answers that set or raise the figure."""
    holds_down: list[str] = Field(default_factory=list)
    """Answers that keep the figure from being higher."""
    find_out: list[str] = Field(default_factory=list)
    """Questions answered "don't know": things to find out."""


class Profile(StrictModel):
    """Where a body stands. Written by scoring, or by hand by a consultant."""

    organisation: Organisation
    factors: Factors = Field(default_factory=Factors)
    barriers: Barriers = Field(default_factory=Barriers)
    maturity: Maturity = Field(default_factory=Maturity)
    goals: list[Text] = Field(default_factory=list)
    """Knowledge-base ids or names (touchpoints, opportunities), or free text."""
    constraints: Constraints = Field(default_factory=Constraints)
    silo: bool = False
    """True when the answers describe a departmental silo (a pattern to flag)."""
    questionnaire_version: str | None = None
    """Version of the question bank this profile was scored with; none if written by hand."""
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    """Evidence per figure, keyed 'maturity.<area>', 'barriers.<barrier>', 'models.<model>'."""
    model_fit: dict[str, float] = Field(default_factory=dict)
    """Delivery-model fit 0-1 from scoring, keyed by delivery model id."""
    model_reasons: dict[str, list[str]] = Field(default_factory=dict)
    find_out: list[str] = Field(default_factory=list)
    """Find-out actions from "don't know" answers."""

    def overall_maturity(self) -> float:
        values = [self.maturity.get(a) for a in TechnologyAreaId]
        return round(sum(values) / len(values), 1)
