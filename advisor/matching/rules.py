"""Matching weights and rules, read from ``knowledge_base/matching.yaml`` and validated."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import ConfigDict, Field, ValidationError, model_validator

from advisor.base import Id, StrictModel, Text
from advisor.errors import InputError, Problem, problems_from_validation
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.profile import Profile
from advisor.vocabulary import (
    BarrierId,
    DataUse,
    DeliveryModelId,
    Deployment,
    ExternalFunding,
    Scope,
    ServiceInnovation,
    TechnologyAreaId,
)
from advisor.yamlio import YamlDocument, read_yaml

if TYPE_CHECKING:
    from advisor.questionnaire import Questionnaire

Weight = float


FactorName = Literal["scope", "service_innovation", "data_use", "deployment"]
FACTOR_VALUES: dict[str, type[StrEnum]] = {
    "scope": Scope,
    "service_innovation": ServiceInnovation,
    "data_use": DataUse,
    "deployment": Deployment,
}
ConstraintName = Literal["external_funding", "budget_at_least", "prefer_sme"]


class Condition(StrictModel):
    """A test on the profile, and optionally on the answers it was scored from.

    Exactly one subject: ``barrier`` (its severity, 0-4), ``area`` (its maturity level, 1-5),
    ``factor`` (a project factor's value), ``constraint``, ``answer`` (a question id: the
    options chosen), ``silo`` (whether the departmental silo is flagged) or
    ``goal_personal_data``. Then a test: ``equals`` or ``in`` for values and options,
    ``at_least`` / ``at_most`` for levels and severities, ``value`` for ``budget_at_least``.
    A condition on an answer the profile does not carry (written by hand, not answered, or
    "don't know") does not apply: it is neither met nor failed.
    """

    model_config = ConfigDict(populate_by_name=True)

    barrier: BarrierId | None = None
    area: TechnologyAreaId | None = None
    factor: FactorName | None = None
    constraint: ConstraintName | None = None
    answer: Id | None = None
    silo: bool | None = None
    goal_personal_data: bool | None = None
    equals: str | None = None
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)
    at_least: int | None = Field(default=None, ge=0, le=5)
    at_most: int | None = Field(default=None, ge=0, le=5)
    value: int | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        subjects = [
            self.barrier,
            self.area,
            self.factor,
            self.constraint,
            self.answer,
            self.silo,
            self.goal_personal_data,
        ]
        if sum(s is not None for s in subjects) != 1:
            raise ValueError(
                "give exactly one of barrier, area, factor, constraint, answer, silo,"
                " goal_personal_data"
            )
        if self.barrier is not None and any(
            v is not None and v > 4 for v in (self.at_least, self.at_most)
        ):
            raise ValueError("a barrier's severity runs from 0 to 4")
        if self.area is not None and any(
            v is not None and v < 1 for v in (self.at_least, self.at_most)
        ):
            raise ValueError("an area's level runs from 1 to 5")
        if self.factor is not None:
            allowed = {v.value for v in FACTOR_VALUES[self.factor]}
            for v in self.tested_values():
                if v not in allowed:
                    raise ValueError(f"{v} is not a {self.factor} value")
        if self.constraint == "external_funding":
            allowed = {v.value for v in ExternalFunding}
            for v in self.tested_values():
                if v not in allowed:
                    raise ValueError(f"{v} is not an external_funding value")
        if self.constraint == "budget_at_least" and self.value is None:
            raise ValueError("budget_at_least needs a value (pounds)")
        return self

    def tested_values(self) -> list[str]:
        """The values or option ids the condition names (``equals``, ``in``, ``credit``)."""
        return [
            *([self.equals] if self.equals is not None else []),
            *(self.in_ or []),
            *getattr(self, "credit", {}),
        ]


class FitRule(Condition):
    """A delivery-model rule: a condition worth ``points``, or one that ``adds`` to the fit.

    With ``credit`` (factor, constraint or answer subjects) the rule earns ``points`` x the
    credit of the value or option chosen (the best one, for several options); otherwise it
    earns the full points when the condition holds. A rule that ``adds`` raises the fit by that
    much when it holds and is never held against a model (the way out of a silo).
    """

    reason: Text
    """The rule in plain words, as a council board reads it (no ids)."""
    points: Weight | None = Field(default=None, gt=0, le=10)
    adds: Weight | None = Field(default=None, gt=0, le=1)
    credit: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _credit_fits_subject(self) -> Self:
        if (self.points is None) == (self.adds is None):
            raise ValueError("give points or adds (one of them)")
        if self.credit and (self.factor or self.constraint or self.answer) is None:
            raise ValueError("credit is for factor, constraint or answer rules")
        if any(not 0 <= c <= 1 for c in self.credit.values()):
            raise ValueError("credit must be between 0 and 1")
        if self.credit and (self.equals is not None or self.in_ is not None):
            raise ValueError("give credit or equals/in, not both")
        return self


class Sign(Condition):
    """A condition with its plain-words reason (the departmental silo's signs)."""

    reason: Text


class SiloRules(StrictModel):
    """When the departmental silo is flagged (report s3: little sharing of data)."""

    min_signs: int = Field(ge=1)
    """How many of ``signs`` must hold."""
    signs: list[Sign] = Field(min_length=1)
    little_sharing: list[list[Sign]] = Field(min_length=1)
    """Evidence of little sharing between departments: one of these sets must hold in full."""
    sharing: list[Sign] = Field(default_factory=list)
    """Evidence of sharing: any one that holds rules the flag out."""
    not_beside: list[DeliveryModelId] = Field(default_factory=list)
    """Models that rest on sharing: when one is recommended, no silo is flagged beside it."""

    @model_validator(mode="after")
    def _enough_signs(self) -> Self:
        if self.min_signs > len(self.signs):
            raise ValueError("min_signs is more than the signs listed")
        return self


class UrgencyRule(StrictModel):
    when: Condition
    areas: list[TechnologyAreaId] = Field(min_length=1)
    boost: Weight = Field(ge=0, le=2)
    reason: str = Field(min_length=3)


class DeliveryRules(StrictModel):
    """Delivery-model fit and the departmental silo: the one rule set (docs/method.md)."""

    clear_fit: Weight = Field(ge=0, le=1)
    """The best-fit model is recommended only at or above this fit."""
    models: dict[DeliveryModelId, list[FitRule]]
    """Fit = points earned / points possible over the rules that apply, plus what ``adds``
    rules add (at most 1)."""
    silo: SiloRules

    @model_validator(mode="after")
    def _every_model(self) -> Self:
        missing = [m.value for m in DeliveryModelId if not self.models.get(m)]
        if missing:
            raise ValueError(f"no fit rules for: {', '.join(missing)}")
        for model, rules in self.models.items():
            if all(r.points is None for r in rules):
                raise ValueError(f"{model.value}: needs at least one rule with points")
        return self


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
    need: Weight = Field(ge=0)
    sme: Weight = Field(ge=0)
    framework: Weight = Field(ge=0)
    region: Weight = Field(ge=0)


class VendorRules(StrictModel):
    weights: VendorWeights
    top_gaps: int = Field(ge=1, le=7)
    shortlist: int = Field(ge=1, le=50)
    near_misses: int = Field(ge=0, le=20)
    near_tie: Weight = Field(ge=0, le=1)
    focus: Weight = Field(ge=0, le=2)
    """How much an offering's coverage is discounted for spreading over many areas."""
    min_share_of_best: Weight = Field(ge=0, le=1)
    """A vendor scoring below this share of the best vendor's score is not shortlisted, unless
    it answers the stated need (``answers_need``)."""
    min_shortlist: int = Field(ge=1, le=10)
    """The shortlist keeps at least this many vendors, padding or not."""
    answers_need: Weight = Field(ge=0, le=1)
    """Need relevance from which a vendor counts as answering the stated need."""
    sme_places: int = Field(ge=0, le=10)
    """Shortlist places kept for suitable SMEs when the body prefers SMEs."""


class CaseStudyWeights(StrictModel):
    model: Weight = Field(ge=0)
    gaps: Weight = Field(ge=0)
    need: Weight = Field(ge=0)
    barriers: Weight = Field(ge=0)
    kind_of_body: Weight = Field(ge=0)
    data_use: Weight = Field(ge=0)
    region: Weight = Field(ge=0)


class CaseStudyRules(StrictModel):
    weights: CaseStudyWeights
    focus: Weight = Field(ge=0, le=2)
    """How much a case's likeness in gaps is discounted for spreading over many areas."""
    limit: int = Field(ge=1, le=50)


class NeedRules(StrictModel):
    """How a likeness to the body's stated need becomes a relevance 0-1 (matching/need.py)."""

    floor: Weight = Field(ge=0, le=1)
    """Text likeness below this is noise."""
    strong: Weight = Field(ge=0, le=1)
    """Text likeness that counts fully."""
    via_touchpoint: Weight = Field(ge=0, le=1)
    """Relevance of a case study that involves a touchpoint a goal matched."""
    via_opportunity: Weight = Field(ge=0, le=1)
    """Relevance of a case study that realises an opportunity a goal matched."""
    via_case: Weight = Field(ge=0, le=1)
    """Relevance of a vendor that took part in a case study answering the need."""
    area_floor: Weight = Field(ge=0, le=1)
    """Likeness to a technology area's description below which it is noise."""
    area_strong: Weight = Field(ge=0, le=1)
    """Likeness to a technology area's description that counts fully."""
    rest_without_need: Weight = Field(ge=0, le=1)
    """Share of its other components' weight an entry keeps when it does not answer a stated
    need at all (it keeps them in full when it answers the need fully)."""
    area_from_entry: Weight = Field(ge=0, le=1)
    """How far the areas of a touchpoint or opportunity a goal matched count as the need's."""
    via_area: Weight = Field(ge=0, le=1)
    """Relevance of a case or offering focused on a technology area the goal's words name."""

    @model_validator(mode="after")
    def _floor_below_strong(self) -> NeedRules:
        if self.floor >= self.strong:
            raise ValueError("floor must be below strong")
        return self


class ConfidenceRules(StrictModel):
    """When the advice says it knows little (matching/confidence.py)."""

    low_unknown_share: Weight = Field(ge=0, le=1)
    """Share of "don't know" answers from which confidence is low."""
    fair_unknown_share: Weight = Field(ge=0, le=1)
    """Share of "don't know" answers from which confidence is only fair."""
    low_thin_figures: int = Field(ge=1, le=13)
    """This many area levels or barriers resting on one answer or none make confidence low."""


class AffordabilityRules(StrictModel):
    """What each delivery model usually needs, to say when a budget cannot fund it."""

    usual_minimum_gbp: dict[DeliveryModelId, int]
    source: str = Field(min_length=3)


class PeerRules(StrictModel):
    limit: int = Field(ge=1, le=50)


class GoalRules(StrictModel):
    min_similarity: Weight = Field(ge=0, le=1)
    max_matches: int = Field(ge=1, le=20)


class SensitivityRules(StrictModel):
    step: Weight = Field(gt=0, le=0.5)


class MatchingRules(StrictModel):
    """Everything in ``matching.yaml``."""

    @model_validator(mode="before")
    @classmethod
    def _older_delivery_rules(cls, data: Any) -> Any:
        """Older files had ``model_fit_from_factors`` and no delivery rules of their own: the
        old section is ignored and the bundled delivery rules are used."""
        return upgrade_delivery_section(data)

    version: str
    source: str
    gap: GapRules
    model_areas: dict[DeliveryModelId, list[TechnologyAreaId]]
    urgency: list[UrgencyRule]
    delivery: DeliveryRules
    vendor: VendorRules
    case_study: CaseStudyRules
    need: NeedRules
    confidence: ConfidenceRules
    affordability: AffordabilityRules
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


def condition_credit(
    cond: Condition, profile: Profile, goal_personal_data: bool = False, silo: bool = False
) -> float | None:
    """How far a condition holds of the profile: 0 to 1, or None when it does not apply
    (a rule on an answer the profile does not carry, or answered "don't know")."""
    credit: dict[str, float] = getattr(cond, "credit", {})
    if cond.goal_personal_data is not None:
        return float(goal_personal_data == cond.goal_personal_data)
    if cond.silo is not None:
        return float(silo == cond.silo)
    values: list[str]
    number: int | None = None
    if cond.answer is not None:
        ref = profile.answer_refs.get(cond.answer)
        if ref is None or ref.unknown or not ref.options:
            return None
        values = list(ref.options)
    elif cond.barrier is not None:
        number = profile.barriers.get(cond.barrier)
        values = [str(number)]
    elif cond.area is not None:
        number = profile.maturity.get(cond.area)
        values = [str(number)]
    elif cond.factor is not None:
        values = [getattr(profile.factors, cond.factor).value]
    elif cond.constraint == "budget_at_least":
        budget = profile.constraints.budget_gbp
        return float(budget is not None and cond.value is not None and budget >= cond.value)
    elif cond.constraint == "external_funding":
        values = [profile.constraints.external_funding.value]
    else:
        values = [str(profile.constraints.prefer_sme).lower()]
    if credit:
        return max(credit.get(v, 0.0) for v in values)
    if cond.equals is not None and cond.equals not in values:
        return 0.0
    if cond.in_ is not None and not set(cond.in_) & set(values):
        return 0.0
    if cond.at_least is not None and not (number is not None and number >= cond.at_least):
        return 0.0
    if cond.at_most is not None and not (number is not None and number <= cond.at_most):
        return 0.0
    return 1.0


def condition_holds(
    cond: Condition, profile: Profile, goal_personal_data: bool, silo: bool = False
) -> bool:
    """Whether a rule's condition is fully true of the profile (one that does not apply is not)."""
    return condition_credit(cond, profile, goal_personal_data, silo) == 1.0


def describe_condition(cond: Condition) -> str:
    """A condition in words for curators, e.g. 'legal barrier at least 3'."""
    if cond.goal_personal_data is not None:
        return "your goals use personal data"
    if cond.silo is not None:
        return "a departmental silo" if cond.silo else "no departmental silo"
    subject = (
        f"{cond.barrier.value} barrier"
        if cond.barrier is not None
        else f"{cond.area.value} level"
        if cond.area is not None
        else (cond.factor or cond.constraint or cond.answer or "").replace("_", " ")
    )
    parts = [subject]
    if cond.equals is not None:
        parts.append(f"is {cond.equals.replace('_', ' ')}")
    if cond.in_ is not None:
        parts.append("is one of " + ", ".join(v.replace("_", " ") for v in cond.in_))
    if cond.at_least is not None:
        parts.append(f"at least {cond.at_least}")
    if cond.at_most is not None:
        parts.append(f"at most {cond.at_most}")
    if cond.value is not None:
        parts.append(f"£{cond.value:,}")
    return " ".join(parts)


# --- the delivery rules: older files, and checks against the question bank --------------------


@lru_cache(maxsize=1)
def _bundled_delivery() -> dict[str, Any]:
    data = read_yaml(BUNDLED_KB_DIR / "matching.yaml").data
    return dict(data["delivery"]) if isinstance(data, dict) else {}


def upgrade_delivery_section(data: Any) -> Any:
    """An older matching.yaml (``model_fit_from_factors``, no delivery ``models``/``silo``)
    read as the current shape: the old section dropped, the bundled delivery rules filled in."""
    if not isinstance(data, dict):
        return data
    if "model_fit_from_factors" not in data:
        return data
    data = {k: v for k, v in data.items() if k != "model_fit_from_factors"}
    delivery = data.get("delivery")
    if isinstance(delivery, dict) and ("models" not in delivery or "silo" not in delivery):
        bundled = _bundled_delivery()
        data["delivery"] = {
            **delivery,
            "models": delivery.get("models", bundled.get("models")),
            "silo": delivery.get("silo", bundled.get("silo")),
        }
    return data


def _delivery_conditions(
    delivery: DeliveryRules,
) -> Iterator[tuple[tuple[str | int, ...], Condition]]:
    for model, rules in delivery.models.items():
        for i, rule in enumerate(rules):
            yield ("delivery", "models", model.value, i), rule
    for i, sign in enumerate(delivery.silo.signs):
        yield ("delivery", "silo", "signs", i), sign
    for i, group in enumerate(delivery.silo.little_sharing):
        for j, sign in enumerate(group):
            yield ("delivery", "silo", "little_sharing", i, j), sign
    for i, sign in enumerate(delivery.silo.sharing):
        yield ("delivery", "silo", "sharing", i), sign


def delivery_rule_problems(
    rules: MatchingRules | DeliveryRules, bank: Questionnaire
) -> list[tuple[tuple[str | int, ...], str]]:
    """Every reference from the delivery rules to the question bank that does not hold: an
    unknown question, a question that is not multiple choice, an option it does not have.
    (Shape, factor and constraint values are checked when the rules are read.)"""
    delivery = rules.delivery if isinstance(rules, MatchingRules) else rules
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for loc, cond in _delivery_conditions(delivery):
        if cond.answer is None:
            continue
        q = bank.question(cond.answer)
        if q is None:
            problems.append(((*loc, "answer"), f"no question {cond.answer} in the bank"))
            continue
        if not q.options:
            problems.append(((*loc, "answer"), f"question {cond.answer} has no options"))
            continue
        for opt in cond.tested_values():
            if q.option(opt) is None:
                problems.append(((*loc, "answer"), f"{cond.answer} has no option {opt}"))
    return problems


def check_delivery_rules(
    rules: MatchingRules, bank: Questionnaire, doc: YamlDocument | None = None
) -> list[Problem]:
    """``delivery_rule_problems`` as problems naming the file and line (for ``kb validate``)."""
    path = doc.path if doc is not None else "matching.yaml"
    return [
        Problem(path, doc.line_of(loc) if doc is not None else None, ".".join(map(str, loc)), msg)
        for loc, msg in delivery_rule_problems(rules, bank)
    ]
