"""The Recommendation: what matching a profile to the knowledge graph gives back.

``advisor assess --json`` prints ``Recommendation.model_dump(mode="json")``. Ranked lists are
best first; every item has ``id``, ``name``, ``score`` and ``why``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from advisor.base import StrictModel
from advisor.evidence import AnswerRef
from advisor.profile import Profile
from advisor.vocabulary import TechnologyAreaId


class PathStep(StrictModel):
    """One edge of the knowledge graph, in its own direction: ``src -edge-> dst``."""

    src: str
    edge: str
    dst: str


class Reason(StrictModel):
    """One reason, as data: ``advisor.explaining`` words it; nothing parses the words.

    ``kind`` says what sort of reason it is (see ``advisor.explaining.KINDS``); ``path`` is
    the graph path behind it, edge by edge; ``answers`` the answers it rests on; ``rule`` the
    knowledge-base rule it comes from (a file and entry, for machines); ``figures`` the names
    and numbers the wording needs.
    """

    kind: str
    path: list[PathStep] = Field(default_factory=list)
    answers: list[AnswerRef] = Field(default_factory=list)
    rule: str | None = None
    figures: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)


class RankedItem(StrictModel):
    id: str
    name: str
    score: float
    why: list[str] = Field(default_factory=list)
    """The reasons as plain sentences (worded from ``reasons`` where an item has them)."""
    reasons: list[Reason] = Field(default_factory=list)
    """The reasons as data."""
    paths: list[list[PathStep]] = Field(default_factory=list)
    """The graph paths behind ``why``, edge by edge (node keys like ``vendor:meeco``)."""
    tie: bool = False
    """True when the score is within the near-tie margin of the item above it."""


class MaturityResult(StrictModel):
    """Level 1-5 per technology area (one key each) and ``overall``, as DESIGN.md lists them."""

    it_resources: int = Field(ge=1, le=5)
    connectivity: int = Field(ge=1, le=5)
    data_aggregation_sharing: int = Field(ge=1, le=5)
    data_analysis: int = Field(ge=1, le=5)
    personal_identity_data_management: int = Field(ge=1, le=5)
    application_enablement: int = Field(ge=1, le=5)
    security: int = Field(ge=1, le=5)
    overall: float
    level_names: dict[str, str] = Field(default_factory=dict)
    """Name of each area's current level."""
    next_level: dict[str, str] = Field(default_factory=dict)
    """Descriptor of the next level up, per area (absent at level 5)."""

    @model_validator(mode="before")
    @classmethod
    def _from_areas(cls, data: Any) -> Any:
        """Accept ``areas={area: level}`` as a shorthand for the seven area fields."""
        if isinstance(data, dict) and isinstance(data.get("areas"), dict):
            data = {**data}
            data.update(data.pop("areas"))
        return data

    @property
    def areas(self) -> dict[str, int]:
        """Level per technology area, in the vocabulary's order."""
        return {a.value: int(getattr(self, a.value)) for a in TechnologyAreaId}


class DeliveryModelItem(RankedItem):
    what_it_takes: list[str] = Field(default_factory=list)
    recommended: bool = False
    """True for the best fit when it fits clearly (matching.yaml ``delivery.clear_fit``)."""
    answered: int = 0
    """How many known answers the fit rests on (0 for a profile written by hand)."""
    unknown: int = 0
    """How many of the answers its rules read were "don't know"."""


class GapItem(RankedItem):
    level: int
    next_level: str | None = None


class MitigationItem(RankedItem):
    """A known way past a barrier, ranked for this body (reasons of kinds ``mitigation_*``)."""

    description: str = ""
    """What the mitigation is, in the knowledge base's words."""
    actions: list[str] = Field(default_factory=list)
    """The steps it takes, one sentence each, as the knowledge base lists them."""


class BarrierItem(RankedItem):
    severity: int
    mitigations: list[MitigationItem] = Field(default_factory=list)
    answered: int = 0
    """How many known answers the severity rests on (0 when set by hand)."""
    unknown: int = 0
    """How many of the barrier's questions were answered "don't know"."""


class VendorItem(RankedItem):
    sme: bool
    frameworks: list[str] = Field(default_factory=list)
    offerings: list[str] = Field(default_factory=list)
    """Names of the offerings that cover the gaps."""
    website: str | None = None


class NearMiss(StrictModel):
    id: str
    name: str
    score: float
    why_not: list[str]
    """Why it is not on the shortlist, as sentences (worded from ``reasons_not``)."""
    reasons_not: list[Reason] = Field(default_factory=list)
    why: list[str] = Field(default_factory=list)
    """What it would have offered."""
    reasons: list[Reason] = Field(default_factory=list)


class CaseStudyItem(RankedItem):
    bodies: list[str] = Field(default_factory=list)


class PeerItem(RankedItem):
    kind: str | None = None
    region: str | None = None
    case_studies: list[str] = Field(default_factory=list)


class ProcurementItem(RankedItem):
    rule: str
    threshold: str
    valid_until: str
    source: str


class RoadmapStage(StrictModel):
    id: str
    name: str
    months: str
    actions: list[str]
    """The steps as plain sentences."""
    steps: list[Reason] = Field(default_factory=list)
    """The steps as data (kinds such as ``find_out``, ``ease_barrier``, ``raise_area``)."""
    why: list[str] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)


class GoalMatch(StrictModel):
    goal: str
    matches: list[RankedItem]
    """Touchpoints, opportunities and case studies the goal matched, best first."""
    named: bool = False
    """True when the goal was given as an entry's id or name rather than in free words."""


class Sensitivity(StrictModel):
    stable: bool
    """True when the top three vendors stay the same with every weight moved by +-10%."""
    changed_by: list[str] = Field(default_factory=list)
    """Scoring components (``vendor.weights`` keys) whose move changed the top three."""


class Confidence(StrictModel):
    """How much the advice can be trusted, from the answers behind the profile."""

    level: Literal["good", "fair", "low", "stated"]
    """'stated' for a profile written by hand or a what-if (no answers behind it)."""
    answered: int
    """Known answers the profile rests on."""
    unknown: int
    """Answers that were "don't know"."""
    thin: list[str] = Field(default_factory=list)
    """Figures ('maturity.<area>', 'barriers.<barrier>') resting on one answer or none."""
    reasons: list[Reason] = Field(default_factory=list)
    why: list[str] = Field(default_factory=list)
    starting_list: bool = False
    """True when the vendor list is a starting list to explore, not a recommendation."""


class MarketAward(StrictModel):
    """A public contract award that answers this body's need (from ``advisor awards import``)."""

    id: str
    """The process's knowledge-base id."""
    ocid: str
    buyer: str
    buyer_body: str | None = None
    """The body the buyer was matched to, when it is one the knowledge base knows."""
    buyer_kind: str | None = None
    """The kind of body in words ('county council'), when the name tells it."""
    title: str
    suppliers: list[str] = Field(default_factory=list)
    not_reviewed: list[str] = Field(default_factory=list)
    """Suppliers on file only from public awards, not yet reviewed by a curator."""
    value_gbp: int | None = None
    awarded_on: str | None = None
    ends_on: str | None = None
    framework: str | None = None
    """The framework by name, when the notice names one."""
    areas: list[str] = Field(default_factory=list)
    """The technology areas (by name) it answers of this body's top gaps."""
    notice_url: str | None = None
    source: str
    score: float = 0.0
    reasons: list[Reason] = Field(default_factory=list)
    why: list[str] = Field(default_factory=list)


class TrackRecord(StrictModel):
    """A vendor's or supplier's public-sector awards in the areas this body needs."""

    id: str
    """``vendor:<id>`` or ``supplier:<id>``."""
    name: str
    reviewed: bool
    """False for a supplier on file only from public awards, not reviewed."""
    wins: int
    largest_gbp: int | None = None
    awards: list[str] = Field(default_factory=list)
    """The processes' knowledge-base ids, newest first."""
    reasons: list[Reason] = Field(default_factory=list)
    why: list[str] = Field(default_factory=list)


class MarketEvidence(StrictModel):
    """What public contract awards say about this body's need."""

    peers: list[MarketAward] = Field(default_factory=list)
    """Bodies that bought something answering the need, best match first."""
    ending_soon: list[MarketAward] = Field(default_factory=list)
    """Contracts for similar needs ending in the coming months, soonest first."""
    track_records: list[TrackRecord] = Field(default_factory=list)
    """Who has won such contracts, most wins first."""
    areas: list[str] = Field(default_factory=list)
    """The need, as the technology areas (by name) of the top gaps."""
    awards_on_file: int = 0
    ending_within_months: int = 12


class Recommendation(StrictModel):
    profile: Profile
    maturity: MaturityResult
    delivery_models: list[DeliveryModelItem]
    silo_warning: str | None = None
    gaps: list[GapItem]
    barriers: list[BarrierItem]
    vendors: list[VendorItem]
    near_misses: list[NearMiss] = Field(default_factory=list)
    case_studies: list[CaseStudyItem]
    peers: list[PeerItem]
    procurement_routes: list[ProcurementItem]
    roadmap: list[RoadmapStage]
    goals: list[GoalMatch] = Field(default_factory=list)
    sensitivity: Sensitivity | None = None
    find_out: list[str] = Field(default_factory=list)
    """Every question answered "don't know", as a thing to find out (plain sentences)."""
    confidence: Confidence | None = None
    cautions: list[Reason] = Field(default_factory=list)
    """Things the body should know before acting, e.g. a budget short of the best-fit model."""
    cautions_said: list[str] = Field(default_factory=list)
    """The cautions as plain sentences."""
    market: MarketEvidence | None = None
    """Evidence from public contract awards; none when no awards are on file."""
    knowledge_base_version: str | None = None
    generated_on: str | None = None
