"""Pydantic models for every kind of knowledge-base entry.

Each file kind in ``knowledge_base/`` maps to one model here; ``KnowledgeBase`` holds them all.
References between entries are plain ids, resolved by ``advisor.kb.loader``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, StringConstraints, model_validator

from advisor.base import Id, Line, Name, Note, StrictModel, Text, checked_text
from advisor.vocabulary import (
    BarrierId,
    DeliveryModelId,
    FrameworkId,
    FundingKind,
    LayerId,
    OrgKind,
    Sector,
    TechnologyAreaId,
)

Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    checked_text(multiline=False, required=True),
]
"""Where a fact comes from, e.g. 'report s7 (company table)' or a public page."""

Gbp = Annotated[int, Field(strict=True, ge=0, le=10**13)]
"""An amount in pounds: a whole number (true/false and 2.5 are refused)."""


class Barrier(StrictModel):
    """One of the six barriers the report names (section 1)."""

    id: BarrierId
    name: Name
    description: Text
    """What the barrier is, in plain words."""
    signs: list[Text] = Field(default_factory=list)
    """Observable signs that a body faces this barrier."""
    source: Source


class DeliveryModel(StrictModel):
    """One of the four ways of delivering a data service (report section 3)."""

    id: DeliveryModelId
    name: Name
    description: Text
    characteristics: list[Text] = Field(min_length=1)
    what_it_takes: list[Text] = Field(min_length=1)
    """What a body needs in place to run this model."""
    helps_with: list[BarrierId] = Field(default_factory=list)
    """Barriers this model is known to help overcome."""
    source: Source


class Layer(StrictModel):
    """A horizontal layer of a public body's technology (report section 2)."""

    id: LayerId
    name: Name
    description: Text
    source: Source


class MaturityLevel(StrictModel):
    """A concrete, observable descriptor of one maturity level of a technology area."""

    level: int = Field(strict=True, ge=1, le=5)
    name: Name
    descriptor: Text
    """What you would see in a body at this level."""


class TechnologyArea(StrictModel):
    """A technology area of the report's section 5 table, with five maturity levels."""

    id: TechnologyAreaId
    name: Name
    layers: list[LayerId] = Field(min_length=1)
    description: Text
    examples: list[Text] = Field(default_factory=list)
    levels: list[MaturityLevel] = Field(min_length=5, max_length=5)
    source: Source

    @model_validator(mode="after")
    def _levels_one_to_five(self) -> TechnologyArea:
        if [lv.level for lv in self.levels] != [1, 2, 3, 4, 5]:
            raise ValueError("levels must be given in order 1, 2, 3, 4, 5")
        return self


class Offering(StrictModel):
    """A product or service a vendor sells."""

    id: Id
    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
        checked_text(multiline=False, required=True),
    ]
    description: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        checked_text(multiline=True, required=True),
    ]
    technology_areas: list[TechnologyAreaId] = Field(min_length=1)
    delivery_models: list[DeliveryModelId] = Field(default_factory=list)
    """Delivery models this offering suits particularly well."""
    barriers_addressed: list[BarrierId] = Field(default_factory=list)
    frameworks: list[FrameworkId] = Field(default_factory=list)
    """Frameworks this offering can be bought through (a subset of the vendor's)."""
    price_min_gbp: Gbp | None = None
    price_max_gbp: Gbp | None = None
    price_unit: Line | None = None
    """e.g. 'per year', 'per project', 'per user per month'."""
    features: list[
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, max_length=120),
            checked_text(multiline=False, required=True),
        ]
    ] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _price_range(self) -> Offering:
        if (
            self.price_min_gbp is not None
            and self.price_max_gbp is not None
            and self.price_min_gbp > self.price_max_gbp
        ):
            raise ValueError("the lowest price is more than the highest price")
        return self


class Vendor(StrictModel):
    """A company that sells technology or services to public bodies (one file each)."""

    id: Id
    name: Name
    description: Text
    sme: bool
    """True for a small or medium-sized enterprise (fewer than 250 staff)."""
    headquarters: Line | None = None
    regions: list[Text] = Field(default_factory=list)
    """Regions served, e.g. 'UK-wide', 'London', 'Europe'."""
    frameworks: list[FrameworkId] = Field(default_factory=list)
    website: HttpUrl | None = None
    identifiers: list[Line] = Field(default_factory=list)
    """Organisation identifiers, e.g. 'GB-COH-01616977' (Companies House) or 'GB-PPON-...'."""
    offerings: list[Offering] = Field(min_length=1)
    source: Source
    last_reviewed: date

    @model_validator(mode="after")
    def _offering_frameworks_subset(self) -> Vendor:
        from advisor.kb.graph import FRAMEWORK_NAMES  # the graph module imports this one

        for off in self.offerings:
            extra = set(off.frameworks) - set(self.frameworks)
            if extra:
                names = ", ".join(sorted(FRAMEWORK_NAMES[f] for f in extra))
                raise ValueError(
                    f"the offering '{off.name}' is bought through {names}, which the vendor "
                    "is not on: add it to the vendor's frameworks or remove it from the offering"
                )
        return self


class Body(StrictModel):
    """A public body or other organisation taking part in case studies (not a vendor)."""

    id: Id
    name: Name
    kind: OrgKind
    sector: Sector = Sector.public
    region: Line | None = None
    description: Note | None = None
    identifiers: list[Line] = Field(default_factory=list)
    """Organisation identifiers, e.g. 'GB-PPON-...' or a public-body scheme id."""
    source: Source


class Funding(StrictModel):
    kind: FundingKind
    funders: list[Id] = Field(default_factory=list)
    """Body ids of the funders, when known."""
    note: Note | None = None


class CaseStudy(StrictModel):
    """A data service the report cites as an example (one file each)."""

    id: Id
    name: Name
    summary: Text
    lead_bodies: list[Id] = Field(min_length=1)
    """Body ids of the public bodies that led the work."""
    partners: list[Id] = Field(default_factory=list)
    """Body ids of partner organisations (police, universities, funders...)."""
    vendors: list[Id] = Field(default_factory=list)
    offerings: list[Id] = Field(default_factory=list)
    """Offering ids used, where the report names the product."""
    kind_of_body: OrgKind
    departments: list[Text] = Field(default_factory=list)
    layers: list[LayerId] = Field(min_length=1)
    technology_areas: list[TechnologyAreaId] = Field(min_length=1)
    delivery_models: list[DeliveryModelId] = Field(default_factory=list)
    barriers_overcome: list[BarrierId] = Field(default_factory=list)
    touchpoints: list[Id] = Field(default_factory=list)
    opportunities: list[Id] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)
    outcomes: list[Text] = Field(default_factory=list)
    data_use: Literal["expose", "internal"] | None = None
    region: Line | None = None
    source: Source


class Touchpoint(StrictModel):
    """A point where data passes between citizens and public bodies (report annex)."""

    id: Id
    name: Name
    category: Text
    description: Note | None = None
    aliases: list[Name] = Field(default_factory=list, max_length=100)
    technology_areas: list[TechnologyAreaId] = Field(default_factory=list)
    personal_data: bool = True
    source: Source


class Opportunity(StrictModel):
    """An opportunity for a better service from better use of data (report section 1)."""

    id: Id
    name: Name
    description: Text
    touchpoints: list[Id] = Field(default_factory=list)
    technology_areas: list[TechnologyAreaId] = Field(min_length=1)
    barriers: list[BarrierId] = Field(default_factory=list)
    personal_data: bool
    data_use: Literal["expose", "internal"] | None = None
    source: Source


class Mitigation(StrictModel):
    """A known way past a barrier (report sections 7-9)."""

    id: Id
    barrier: BarrierId
    name: Name
    description: Text
    actions: list[Text] = Field(min_length=1)
    technology_areas: list[TechnologyAreaId] = Field(default_factory=list)
    delivery_models: list[DeliveryModelId] = Field(default_factory=list)
    case_studies: list[Id] = Field(default_factory=list)
    min_severity: int = Field(default=1, strict=True, ge=0, le=4)
    """Offer this mitigation from this barrier severity upwards."""
    source: Source


ProcurementKind = Literal[
    "framework_direct_award",
    "framework_further_competition",
    "below_threshold",
    "open_procedure",
    "competitive_flexible_procedure",
]
BuyerKind = Literal["sub_central", "central"]


class ProcurementRoute(StrictModel):
    """A dated rule for buying: which route fits which spend, until when."""

    id: Id
    name: Name
    kind: ProcurementKind
    framework: FrameworkId | None = None
    description: Text
    rule: Text
    """The rule in one sentence, as shown to the buyer."""
    buyers: list[BuyerKind] = Field(min_length=1)
    min_value_gbp: Gbp = 0
    """Lowest whole-life value (VAT included) this route is meant for."""
    max_value_gbp: Gbp | None = None
    """Highest value, or none for no upper bound."""
    threshold_note: Note | None = None
    technology_areas: list[TechnologyAreaId] = Field(default_factory=list)
    """Areas this route suits; empty means any."""
    max_term_months: Annotated[int, Field(strict=True, ge=1, le=1200)] | None = None
    """Longest call-off or contract this route allows, in months; none when not stated."""
    valid_from: date
    valid_until: date
    review_date: bool = False
    """True when valid_until is a date to re-check the route by, not the day it ends."""
    superseded_by: Name | None = None
    """What replaced this route: the id of a route in this file (then the route is no longer
    offered from the day its successor starts), or words naming a successor that is not on
    file (then it is never offered)."""
    source: Source

    @model_validator(mode="after")
    def _dates(self) -> ProcurementRoute:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        if self.max_value_gbp is not None and self.max_value_gbp < self.min_value_gbp:
            raise ValueError("max_value_gbp is below min_value_gbp")
        return self


class ReportRecommendation(StrictModel):
    """One of the report's own recommendations (section 9)."""

    id: Id
    title: Name
    text: Text
    audience: list[Literal["public_bodies", "vendors", "all"]] = Field(min_length=1)
    delivery_models: list[DeliveryModelId] = Field(default_factory=list)
    barriers: list[BarrierId] = Field(default_factory=list)
    source: Source


# --- public contract awards (advisor awards import) -----------------------------------------

AwardMatchKind = Literal["body", "vendor", "supplier"]
AwardMatchBy = Literal["identifier", "name"]


class AwardParty(StrictModel):
    """A buyer or supplier as an award names it, and what the advisor matched it to."""

    name: Name
    identifier: Line | None = None
    """The organisation identifier the notice gives, e.g. 'GB-COH-01616977' (scheme and id)."""
    match: Id | None = None
    """The body, vendor or public-awards supplier this party was matched to."""
    match_kind: AwardMatchKind | None = None
    match_by: AwardMatchBy | None = None
    """How: by the identifier, or by the name once 'Ltd', 'Limited', case and punctuation are
    set aside."""
    confidence: float | None = Field(default=None, ge=0, le=1)
    """1 for an identifier match, lower for a name match."""


class ContractAward(StrictModel):
    """One award (or its contract) of a contracting process."""

    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    """The award's id in the notice."""
    title: Line | None = None
    description: Note | None = None
    suppliers: list[AwardParty] = Field(default_factory=list)
    withheld: bool = False
    """True when the notice withholds the supplier (e.g. 'Withheld Section94 supplier')."""
    value_gbp: Gbp | None = None
    """The award's value in pounds (whole); none when missing or in another currency."""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    """The currency of a value not in pounds (kept, not converted)."""
    amount: float | None = None
    """The amount in that other currency."""
    awarded_on: date | None = None
    start: date | None = None
    end: date | None = None
    """When the contract period ends (none when not given or not believable)."""


class AwardedProcess(StrictModel):
    """One contracting process from Contracts Finder or Find a Tender, compiled from its
    releases (one file each, ``awards/<id>.yaml``)."""

    id: Id
    """The OCID in knowledge-base form (lower case, '-' as '_')."""
    ocid: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
    release_id: Line
    """The newest release the process was compiled from."""
    release_date: datetime
    """Its date: a newer release of the same process replaces this one."""
    buyer: AwardParty
    buyer_kind: OrgKind | None = None
    """The kind of body, read from the buyer's name ('... Borough Council')."""
    title: Name
    description: Note | None = None
    cpv: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{8}$")]] = Field(
        default_factory=list
    )
    technology_areas: list[TechnologyAreaId] = Field(default_factory=list)
    """Areas the award answers, from its CPV codes and words (``market.yaml``)."""
    framework: FrameworkId | None = None
    framework_text: Line | None = None
    """The framework as the notice names it, e.g. 'Call-off from G-Cloud 14 Lot 2'."""
    notice_url: HttpUrl | None = None
    awards: list[ContractAward] = Field(min_length=1)
    source: Source


SupplierStatus = Literal["not_reviewed", "confirmed", "merged", "rejected"]


class AwardSupplier(StrictModel):
    """A supplier named in public awards that matched no vendor (one file each,
    ``suppliers/<id>.yaml``): 'from public awards, not reviewed' until a curator confirms it,
    merges it into a vendor or rejects it."""

    id: Id
    name: Name
    identifiers: list[Line] = Field(default_factory=list)
    status: SupplierStatus = "not_reviewed"
    merged_into: Id | None = None
    """The vendor this supplier is the same company as (status 'merged')."""
    note: Note | None = None
    source: Source

    @model_validator(mode="after")
    def _merged_names_vendor(self) -> AwardSupplier:
        if (self.status == "merged") != (self.merged_into is not None):
            raise ValueError("merged_into is given exactly when status is 'merged'")
        return self


class KnowledgeBase(StrictModel):
    """Everything loaded from a knowledge-base folder, references resolved."""

    barriers: list[Barrier] = Field(default_factory=list)
    delivery_models: list[DeliveryModel] = Field(default_factory=list)
    layers: list[Layer] = Field(default_factory=list)
    technology_areas: list[TechnologyArea] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    vendors: list[Vendor] = Field(default_factory=list)
    case_studies: list[CaseStudy] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    mitigations: list[Mitigation] = Field(default_factory=list)
    procurement_routes: list[ProcurementRoute] = Field(default_factory=list)
    recommendations: list[ReportRecommendation] = Field(default_factory=list)
    awards: list[AwardedProcess] = Field(default_factory=list)
    suppliers: list[AwardSupplier] = Field(default_factory=list)
