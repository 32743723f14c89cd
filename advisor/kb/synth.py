"""A synthetic knowledge base of any size, for scale work (``advisor kb synth``).

It keeps the bundled vocabulary (barriers, models, layers, areas, touchpoints, opportunities,
routes) and invents bodies, vendors, offerings and case studies shaped like a G-Cloud
catalogue: mostly SMEs, listings with up to ten features, prices as a range and a unit.
The same seed always gives the same files.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from advisor.errors import InputError
from advisor.folders import new_folder_beside, swap_in
from advisor.kb.loader import (
    BUNDLED_KB_DIR,
    FOLDERS,
    LIST_FILES,
    OTHER_FILES,
    load_knowledge_base,
)
from advisor.vocabulary import (
    BarrierId,
    DeliveryModelId,
    FrameworkId,
    FundingKind,
    LayerId,
    OrgKind,
    TechnologyAreaId,
)

PLACES = [
    "Ashford",
    "Barnfield",
    "Carrow",
    "Dunmere",
    "Eastleigh",
    "Fenwick",
    "Glenmoor",
    "Harwood",
    "Ilsley",
    "Kingsmere",
    "Lowfield",
    "Marston",
    "Northby",
    "Oakham",
    "Penrose",
    "Queensbury",
    "Redmoor",
    "Stanton",
    "Thornbury",
    "Upton",
    "Valebridge",
    "Westcombe",
    "Yardley",
    "Ambridge",
    "Brackley",
    "Chilford",
    "Denholme",
    "Elmstead",
    "Fairford",
]
BODY_KINDS = (
    (OrgKind.district, "District Council"),
    (OrgKind.county, "County Council"),
    (OrgKind.unitary, "Council"),
    (OrgKind.metropolitan, "Metropolitan Borough Council"),
    (OrgKind.london_borough, "London Borough Council"),
)
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
    "Scotland",
    "Northern Ireland",
)
FIRST = [
    "Civic",
    "Open",
    "Bright",
    "Northern",
    "Harbour",
    "Granite",
    "Lumen",
    "Meridian",
    "Beacon",
    "Kestrel",
    "Cobalt",
    "Juniper",
    "Atlas",
    "Vertex",
    "Signal",
    "Willow",
    "Quarry",
    "Summit",
    "Tidal",
    "Ember",
    "Orbit",
    "Pioneer",
    "Clarity",
    "Fathom",
]
SECOND = [
    "Data",
    "Cloud",
    "Insight",
    "Secure",
    "Ledger",
    "Grid",
    "Logic",
    "Stack",
    "Bridge",
    "Sense",
    "Metric",
    "Vault",
    "Link",
    "Flow",
]
SUFFIX = ("Ltd", "Limited", "Group", "Labs", "Technologies", "Systems", "Digital", "Consulting")
PRODUCTS: dict[TechnologyAreaId, tuple[str, ...]] = {
    TechnologyAreaId.it_resources: ("Hosting", "Private Cloud", "Backup Service", "Compute"),
    TechnologyAreaId.connectivity: ("LoRaWAN Network", "SD-WAN", "Street Sensor Mesh", "PSN Link"),
    TechnologyAreaId.data_aggregation_sharing: ("Data Hub", "Open Data Portal", "Data Exchange"),
    TechnologyAreaId.data_analysis: ("Analytics", "Dashboards", "Predictive Insight", "BI Suite"),
    TechnologyAreaId.personal_identity_data_management: (
        "Consent Manager",
        "Identity Verify",
        "Personal Data Store",
    ),
    TechnologyAreaId.application_enablement: ("App Platform", "API Gateway", "Low-code Studio"),
    TechnologyAreaId.security: ("SOC Service", "Encryption Vault", "Threat Monitor", "Pen Test"),
}
AREA_LAYERS: dict[TechnologyAreaId, LayerId] = {
    TechnologyAreaId.it_resources: LayerId.infrastructure,
    TechnologyAreaId.connectivity: LayerId.infrastructure,
    TechnologyAreaId.data_aggregation_sharing: LayerId.data,
    TechnologyAreaId.data_analysis: LayerId.data,
    TechnologyAreaId.personal_identity_data_management: LayerId.data,
    TechnologyAreaId.application_enablement: LayerId.service_application,
    TechnologyAreaId.security: LayerId.data,
}
FEATURES = (
    "role-based access control",
    "open APIs with documentation",
    "UK data centres only",
    "ISO 27001 certified hosting",
    "single sign-on",
    "audit trail of every change",
    "real-time data feeds",
    "consent receipts for citizens",
    "GDPR data subject requests",
    "dashboards for service managers",
    "accessible to WCAG 2.2 AA",
    "24/7 UK support desk",
    "open standards and formats",
    "automated daily backups",
)
DEPARTMENTS = (
    "Adult Social Care",
    "Children's Services",
    "Housing",
    "Transport",
    "Waste",
    "Planning",
    "Public Health",
    "Revenues and Benefits",
    "Customer Services",
    "Environmental Health",
)
UNITS = ("per year", "per user per month", "per project", "per day", "per instance per month")


@dataclass(frozen=True)
class SynthSize:
    vendors: int
    offerings: int
    case_studies: int
    bodies: int = 400


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _write(path: Path, data: Any) -> None:
    """Write one file as JSON, which is valid YAML and the loader's fast path."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def write_synthetic_knowledge_base(
    out: Path, size: SynthSize, seed: int = 1, base_dir: Path = BUNDLED_KB_DIR
) -> int:
    """Write a synthetic knowledge base to ``out``; return the number of files written.

    The files are written into a new folder beside ``out`` and swapped in whole, so ``out``
    holds the old knowledge base or the new one, never a mix. ``out`` must be a new name, an
    empty folder or a knowledge-base folder: any other folder is refused, not replaced.
    """
    target = Path(os.path.abspath(out))
    _check_synth_target(target, out)
    staging = new_folder_beside(target, "new")
    try:
        files = _write_all(staging, size, seed, base_dir)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def _check_synth_target(target: Path, shown: Path) -> None:
    """A new name, an empty folder or a folder holding only knowledge-base files."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InputError.single(str(shown), "(folder)", "exists and is not a folder")
    if not target.exists():
        return
    known = {f"{kind}.yaml" for kind in LIST_FILES} | OTHER_FILES | set(FOLDERS)
    foreign = sorted(
        p.name for p in target.iterdir() if not p.name.startswith(".") and p.name not in known
    )
    if foreign:
        raise InputError.single(
            str(shown),
            "(folder)",
            f"holds {foreign[0]}, which is not part of a knowledge base; choose a new or empty "
            "folder",
        )


def _write_all(out: Path, size: SynthSize, seed: int, base_dir: Path) -> int:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    base = load_knowledge_base(base_dir)
    (out / "vendors").mkdir(exist_ok=True)
    (out / "case_studies").mkdir(exist_ok=True)
    files = 0
    for kind in (
        "barriers",
        "delivery_models",
        "layers",
        "technology_areas",
        "touchpoints",
        "opportunities",
        "procurement_routes",
        "recommendations",
    ):
        _write(out / f"{kind}.yaml", [e.model_dump(mode="json") for e in getattr(base, kind)])
        files += 1
    mitigations = [m.model_dump(mode="json") | {"case_studies": []} for m in base.mitigations]
    _write(out / "mitigations.yaml", mitigations)
    for name in sorted(OTHER_FILES):  # the rule files: a knowledge base holds its own
        if (base_dir / name).is_file():
            (out / name).write_text((base_dir / name).read_text("utf-8"), "utf-8")
            files += 1

    bodies = []
    for i in range(size.bodies):
        kind, label = rng.choice(BODY_KINDS)
        place = f"{rng.choice(PLACES)} {rng.choice(PLACES)}"
        bodies.append(
            {
                "id": f"body_{i:05d}",
                "name": f"{place} {label}",
                "kind": kind.value,
                "region": rng.choice(REGIONS),
                "source": "synthetic",
            }
        )
    _write(out / "bodies.yaml", bodies)
    files += 2

    # Offerings per vendor: a long tail, as in the real catalogue.
    weights = [1.0 / (1 + (i % 50)) for i in range(size.vendors)]
    counts = [1] * size.vendors
    extra = max(0, size.offerings - size.vendors)
    for idx in rng.choices(range(size.vendors), weights=weights, k=extra):
        counts[idx] += 1
    reviewed_from = date(2025, 1, 1)
    vendor_offerings: list[tuple[str, list[str]]] = []
    areas = list(TechnologyAreaId)
    for i in range(size.vendors):
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(SUFFIX)}"
        vid = f"{_slug(name)}_{i:05d}"
        sme = rng.random() < 0.9
        frameworks = [FrameworkId.g_cloud.value] if rng.random() < 0.85 else []
        if rng.random() < 0.2:
            frameworks.append(FrameworkId.digital_outcomes.value)
        offerings = []
        for j in range(counts[i]):
            area_list = rng.sample(areas, k=rng.choice((1, 1, 2, 3)))
            product = rng.choice(PRODUCTS[area_list[0]])
            low = rng.choice((500, 1000, 5000, 10000, 25000, 50000))
            offerings.append(
                {
                    "id": f"{vid}_o{j}",
                    "name": f"{name.split()[0]} {product} {j + 1}",
                    "description": (
                        f"{product} for public bodies from {name}: "
                        + ", ".join(rng.sample(FEATURES, k=3))
                        + "."
                    ),
                    "technology_areas": [a.value for a in area_list],
                    "delivery_models": [
                        m.value for m in rng.sample(list(DeliveryModelId), k=rng.choice((0, 1, 2)))
                    ],
                    "barriers_addressed": [
                        b.value for b in rng.sample(list(BarrierId), k=rng.choice((0, 1)))
                    ],
                    "frameworks": frameworks[:1],
                    "price_min_gbp": low,
                    "price_max_gbp": low * rng.choice((2, 5, 10)),
                    "price_unit": rng.choice(UNITS),
                    "features": rng.sample(FEATURES, k=rng.randint(2, 10)),
                }
            )
        _write(
            out / "vendors" / f"{vid}.yaml",
            {
                "id": vid,
                "name": name,
                "description": f"{'Small' if sme else 'Large'} supplier of digital services.",
                "sme": sme,
                "regions": rng.sample(REGIONS, k=rng.randint(1, 3)),
                "frameworks": frameworks,
                "offerings": offerings,
                "source": "synthetic",
                "last_reviewed": (reviewed_from + timedelta(days=rng.randint(0, 690))).isoformat(),
            },
        )
        vendor_offerings.append((vid, [str(o["id"]) for o in offerings]))
        files += 1

    touchpoints = [t.id for t in base.touchpoints]
    opportunities = [o.id for o in base.opportunities]
    for i in range(size.case_studies):
        lead = rng.choice(bodies)
        chosen = rng.sample(vendor_offerings, k=min(len(vendor_offerings), rng.randint(1, 3)))
        cs_areas = rng.sample(areas, k=rng.randint(1, 4))
        cid = f"case_{i:05d}"
        _write(
            out / "case_studies" / f"{cid}.yaml",
            {
                "id": cid,
                "name": f"{lead['name'].split()[0]} {rng.choice(DEPARTMENTS)} data service {i}",
                "summary": "A synthetic data service used for scale measurements.",
                "lead_bodies": [lead["id"]],
                "partners": [b["id"] for b in rng.sample(bodies, k=rng.randint(0, 2))],
                "vendors": [v for v, _ in chosen],
                "offerings": [rng.choice(offs) for _, offs in chosen],
                "kind_of_body": lead["kind"],
                "departments": rng.sample(DEPARTMENTS, k=rng.randint(1, 3)),
                "layers": sorted({AREA_LAYERS[a].value for a in cs_areas}),
                "technology_areas": [a.value for a in cs_areas],
                "delivery_models": [
                    m.value for m in rng.sample(list(DeliveryModelId), k=rng.randint(1, 2))
                ],
                "barriers_overcome": [
                    b.value for b in rng.sample(list(BarrierId), k=rng.randint(0, 2))
                ],
                "touchpoints": rng.sample(touchpoints, k=min(len(touchpoints), 2)),
                "opportunities": rng.sample(opportunities, k=min(len(opportunities), 1)),
                "funding": [{"kind": rng.choice(list(FundingKind)).value}],
                "outcomes": ["Synthetic outcome."],
                "region": lead["region"],
                "source": "synthetic",
            },
        )
        files += 1
    return files
