"""Matching weights and rules, read from ``knowledge_base/matching.yaml`` and validated."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from advisor.base import StrictModel
from advisor.errors import InputError, problems_from_validation
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.profile import Profile
from advisor.vocabulary import BarrierId, DeliveryModelId, TechnologyAreaId
from advisor.yamlio import read_yaml

Weight = float


class Condition(StrictModel):
    """A test on the profile. Exactly one of barrier / factor / constraint / goal_personal_data."""

    barrier: BarrierId | None = None
    factor: Literal["scope", "service_innovation", "data_use", "deployment"] | None = None
    constraint: Literal["external_funding", "budget_at_least", "prefer_sme"] | None = None
    goal_personal_data: bool | None = None
    equals: str | None = None
    at_least: int | None = Field(default=None, ge=0, le=4)
    at_most: int | None = Field(default=None, ge=0, le=4)
    value: int | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        subjects = [self.barrier, self.factor, self.constraint, self.goal_personal_data]
        if sum(s is not None for s in subjects) != 1:
            raise ValueError("give exactly one of barrier, factor, constraint, goal_personal_data")
        return self


class FitRule(Condition):
    points: Weight = Field(ge=0, le=1)


class UrgencyRule(StrictModel):
    when: Condition
    areas: list[TechnologyAreaId] = Field(min_length=1)
    boost: Weight = Field(ge=0, le=2)
    reason: str = Field(min_length=3)


class DeliveryRules(StrictModel):
    clear_fit: Weight = Field(ge=0, le=1)
    """The best-fit model is recommended only at or above this fit."""


class GapRules(StrictModel):
    level_weight: Weight = Field(ge=0)
    min_priority: Weight = Field(ge=0)
    goal_boost: Weight = Field(ge=0)
    model_boost: Weight = Field(ge=0)


class VendorWeights(StrictModel):
    gap_coverage: Weight = Field(ge=0)
    model_fit: Weight = Field(ge=0)
    barrier_fit: Weight = Field(ge=0)
    proven: Weight = Field(ge=0)
    goal_fit: Weight = Field(ge=0)
    sme: Weight = Field(ge=0)
    framework: Weight = Field(ge=0)
    region: Weight = Field(ge=0)


class VendorRules(StrictModel):
    weights: VendorWeights
    top_gaps: int = Field(ge=1, le=7)
    shortlist: int = Field(ge=1, le=50)
    near_misses: int = Field(ge=0, le=20)
    near_tie: Weight = Field(ge=0, le=1)


class CaseStudyWeights(StrictModel):
    model: Weight = Field(ge=0)
    gaps: Weight = Field(ge=0)
    goals: Weight = Field(ge=0)
    barriers: Weight = Field(ge=0)
    kind_of_body: Weight = Field(ge=0)
    data_use: Weight = Field(ge=0)
    region: Weight = Field(ge=0)


class CaseStudyRules(StrictModel):
    weights: CaseStudyWeights
    limit: int = Field(ge=1, le=50)


class PeerRules(StrictModel):
    limit: int = Field(ge=1, le=50)


class GoalRules(StrictModel):
    min_similarity: Weight = Field(ge=0, le=1)
    max_matches: int = Field(ge=1, le=20)


class SensitivityRules(StrictModel):
    step: Weight = Field(gt=0, le=0.5)


class MatchingRules(StrictModel):
    """Everything in ``matching.yaml``."""

    version: str
    source: str
    gap: GapRules
    model_areas: dict[DeliveryModelId, list[TechnologyAreaId]]
    urgency: list[UrgencyRule]
    model_fit_from_factors: dict[DeliveryModelId, list[FitRule]]
    delivery: DeliveryRules
    vendor: VendorRules
    case_study: CaseStudyRules
    peers: PeerRules
    goals: GoalRules
    sensitivity: SensitivityRules


def load_matching_rules(kb_dir: Path = BUNDLED_KB_DIR) -> MatchingRules:
    """Read and validate ``matching.yaml``; fall back to the bundled file if the folder has none."""
    path = kb_dir / "matching.yaml"
    if not path.exists():
        path = BUNDLED_KB_DIR / "matching.yaml"
    doc = read_yaml(path)
    try:
        return MatchingRules.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(problems_from_validation(err, str(path), doc.line_of)) from None


def condition_holds(cond: Condition, profile: Profile, goal_personal_data: bool) -> bool:
    """Whether a rule's condition is true of the profile."""
    if cond.goal_personal_data is not None:
        return goal_personal_data == cond.goal_personal_data
    actual: int | str | bool | None
    if cond.barrier is not None:
        actual = profile.barriers.get(cond.barrier)
    elif cond.factor is not None:
        actual = getattr(profile.factors, cond.factor).value
    elif cond.constraint == "budget_at_least":
        budget = profile.constraints.budget_gbp
        return budget is not None and cond.value is not None and budget >= cond.value
    elif cond.constraint == "external_funding":
        actual = profile.constraints.external_funding.value
    else:
        actual = profile.constraints.prefer_sme
    if cond.equals is not None and str(actual) != cond.equals:
        return False
    if cond.at_least is not None and not (isinstance(actual, int) and actual >= cond.at_least):
        return False
    return not (
        cond.at_most is not None and not (isinstance(actual, int) and actual <= cond.at_most)
    )


def describe_condition(cond: Condition) -> str:
    """A condition in words, e.g. 'legal barrier at least 3'."""
    if cond.goal_personal_data is not None:
        return "your goals use personal data"
    subject = (
        f"{cond.barrier.value} barrier"
        if cond.barrier is not None
        else (cond.factor or cond.constraint or "").replace("_", " ")
    )
    parts = [subject]
    if cond.equals is not None:
        parts.append(f"is {cond.equals.replace('_', ' ')}")
    if cond.at_least is not None:
        parts.append(f"at least {cond.at_least}")
    if cond.at_most is not None:
        parts.append(f"at most {cond.at_most}")
    if cond.value is not None:
        parts.append(f"£{cond.value:,}")
    return " ".join(parts)
