"""Stable ids shared by every part of the advisor (see DESIGN.md, "Vocabulary")."""

from __future__ import annotations

from enum import StrEnum


class BarrierId(StrEnum):
    financial = "financial"
    knowledge = "knowledge"
    technology = "technology"
    culture = "culture"
    legal = "legal"
    political = "political"


class DeliveryModelId(StrEnum):
    digital_hit_team = "digital_hit_team"
    strategic_platform = "strategic_platform"
    externally_funded = "externally_funded"
    outreach = "outreach"


class LayerId(StrEnum):
    infrastructure = "infrastructure"
    data = "data"
    service_application = "service_application"


class TechnologyAreaId(StrEnum):
    it_resources = "it_resources"
    connectivity = "connectivity"
    data_aggregation_sharing = "data_aggregation_sharing"
    data_analysis = "data_analysis"
    personal_identity_data_management = "personal_identity_data_management"
    application_enablement = "application_enablement"
    security = "security"


AREA_NAMES: dict[TechnologyAreaId, str] = {
    TechnologyAreaId.it_resources: "IT resources",
    TechnologyAreaId.connectivity: "Connectivity",
    TechnologyAreaId.data_aggregation_sharing: "Data aggregation and sharing",
    TechnologyAreaId.data_analysis: "Data analysis",
    TechnologyAreaId.personal_identity_data_management: "Personal identity and data management",
    TechnologyAreaId.application_enablement: "Application enablement",
    TechnologyAreaId.security: "Security",
}
"""Display names of the technology areas (the knowledge base may word them its own way)."""


def area_name(area: str) -> str:
    """The display name of an area id, or the text itself when it is not one."""
    try:
        return AREA_NAMES[TechnologyAreaId(area)]
    except ValueError:
        return area


class Scope(StrEnum):
    tactical = "tactical"
    strategic = "strategic"


class ServiceInnovation(StrEnum):
    existing = "existing"
    new = "new"


class DataUse(StrEnum):
    expose = "expose"
    internal = "internal"


class Deployment(StrEnum):
    it_department = "it_department"
    external_partner = "external_partner"
    special_team = "special_team"
    departmental_team = "departmental_team"


class OrgKind(StrEnum):
    """Kind of organisation. The first eight are the profile's kinds of public body."""

    district = "district"
    county = "county"
    unitary = "unitary"
    metropolitan = "metropolitan"
    london_borough = "london_borough"
    central_government = "central_government"
    agency = "agency"
    other = "other"


class Sector(StrEnum):
    """Which side of the public/private line a body in the knowledge base sits on."""

    public = "public"
    private = "private"
    academic = "academic"
    charity = "charity"


class FrameworkId(StrEnum):
    """Government Commercial Agency agreements a vendor can sell through (FACTS.md)."""

    g_cloud = "g_cloud"
    digital_outcomes = "digital_outcomes"
    digital_specialists_programmes = "digital_specialists_programmes"
    technology_services = "technology_services"
    technology_products = "technology_products"
    crown_hosting = "crown_hosting"
    vertical_application_solutions = "vertical_application_solutions"


class FundingKind(StrEnum):
    internal = "internal"
    philanthropic = "philanthropic"
    eu = "eu"
    national = "national"
    academic = "academic"
    partner = "partner"
    local = "local"
    commercial = "commercial"


class ExternalFunding(StrEnum):
    """Profile constraint: can the body reach external funding for this work?"""

    none = "none"
    possible = "possible"
    available = "available"


class Role(StrEnum):
    council = "council"
    vendor = "vendor"
    consultant = "consultant"
    curator = "curator"


MATURITY_LEVELS = (1, 2, 3, 4, 5)
SEVERITY_LEVELS = (0, 1, 2, 3, 4)


ORG_KIND_NAMES: dict[OrgKind, str] = {
    OrgKind.district: "district council",
    OrgKind.county: "county council",
    OrgKind.unitary: "unitary authority",
    OrgKind.metropolitan: "metropolitan borough council",
    OrgKind.london_borough: "London borough council",
    OrgKind.central_government: "central government department",
    OrgKind.agency: "public agency",
    OrgKind.other: "public body",
}
"""How each kind of body is named in sentences."""
