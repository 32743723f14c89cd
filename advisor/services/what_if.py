"""What-if: change a maturity level or a barrier, see how the advice shifts.

``adjusted_profile`` applies the changes to a copy of the profile (validated like any profile);
``advice_shift`` says, in plain sentences, what moved between two recommendations.

A scenario worth keeping is saved apart from assessments (``save_scenario``): only what was
changed, on which submitted assessment, never an assessment of its own, so it never shows up
or opens in place of the real result. ``list_scenarios`` lists them, and ``changes_said``
says in words what a scenario changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select

from advisor.errors import InputError, Problem
from advisor.profile import Barriers, Evidence, Maturity, Profile
from advisor.recommendation import RankedItem, Recommendation
from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import Assessment, User, WhatIfScenario, utcnow
from advisor.vocabulary import AREA_NAMES, TechnologyAreaId

SEVERITY = {0: "no concern", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}
"""Barrier severities as the what-if sliders say them."""

TOP = 3
"""How many leading items of each list count as 'the advice'."""


def adjusted_profile(
    profile: Profile,
    maturity: Mapping[str, int] | None = None,
    barriers: Mapping[str, int] | None = None,
) -> Profile:
    """A copy of the profile with some maturity levels and barrier severities changed."""
    try:
        new_maturity = Maturity.model_validate(
            {**profile.maturity.model_dump(), **dict(maturity or {})}
        )
        new_barriers = Barriers.model_validate(
            {**profile.barriers.model_dump(), **dict(barriers or {})}
        )
    except ValidationError as err:
        raise InputError(
            [
                Problem("what-if", None, ".".join(str(p) for p in e["loc"]), e["msg"])
                for e in err.errors()
            ]
        ) from None
    evidence = dict(profile.evidence)
    for group, old, new in (
        ("maturity", profile.maturity, new_maturity),
        ("barriers", profile.barriers, new_barriers),
    ):
        for name, value in new.model_dump().items():
            if getattr(old, name) != value:
                # the figure is now the scenario's, not the answers': say so, rest on none
                evidence[f"{group}.{name}"] = Evidence(
                    sets=[f"Set to {value} in the what-if (was {getattr(old, name)})"],
                    by_hand=True,
                )
    # Fit and the silo are not carried in the profile: matching works them out again from the
    # changed figures and the answers, with the same rules as for the assessment itself.
    return profile.model_copy(
        update={"maturity": new_maturity, "barriers": new_barriers, "evidence": evidence}
    )


def _names(items: list[RankedItem], n: int = TOP) -> list[str]:
    return [item.name for item in items[:n]]


def _list_shift(label: str, before: list[RankedItem], after: list[RankedItem]) -> list[str]:
    old, new = _names(before), _names(after)
    if old == new:
        return []
    lines = []
    came = [n for n in new if n not in old]
    went = [n for n in old if n not in new]
    if came:
        lines.append(f"{label}: now includes {', '.join(came)}")
    if went:
        lines.append(f"{label}: no longer includes {', '.join(went)}")
    if not came and not went:
        lines.append(f"{label}: same items, new order ({', '.join(new)})")
    return lines


def advice_shift(before: Recommendation, after: Recommendation) -> list[str]:
    """What changed between two recommendations, in plain sentences (empty when nothing)."""
    lines: list[str] = []
    if before.maturity.overall != after.maturity.overall:
        lines.append(
            f"Overall maturity: from {before.maturity.overall:.1f} to {after.maturity.overall:.1f}"
        )
    old_model = before.delivery_models[0].name if before.delivery_models else "none"
    new_model = after.delivery_models[0].name if after.delivery_models else "none"
    if old_model != new_model:
        lines.append(f"Best-fitting delivery model: from {old_model} to {new_model}")
    lines += _list_shift("Top gaps", list(before.gaps), list(after.gaps))
    lines += _list_shift("Top barriers", list(before.barriers), list(after.barriers))
    lines += _list_shift("Vendor shortlist", list(before.vendors), list(after.vendors))
    lines += _list_shift("Case studies", list(before.case_studies), list(after.case_studies))
    old_route = before.procurement_routes[0].name if before.procurement_routes else "none"
    new_route = after.procurement_routes[0].name if after.procurement_routes else "none"
    if old_route != new_route:
        lines.append(f"Procurement route: from {old_route} to {new_route}")
    return lines


@dataclass(frozen=True)
class ScenarioView:
    id: int
    assessment_id: int
    title: str
    maturity: dict[str, int]
    """Technology area id to the level tried (only those changed)."""
    barriers: dict[str, int]
    """Barrier id to the severity tried (only those changed)."""
    author: str | None
    created_at: datetime


def changed_only(
    profile: Profile, maturity: Mapping[str, int], barriers: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """The levels and severities that differ from the profile's."""
    return (
        {k: int(v) for k, v in maturity.items() if profile.maturity.model_dump().get(k) != v},
        {k: int(v) for k, v in barriers.items() if profile.barriers.model_dump().get(k) != v},
    )


def changes_said(
    profile: Profile,
    maturity: Mapping[str, int],
    barriers: Mapping[str, int],
    barrier_names: Mapping[str, str],
) -> list[str]:
    """What a scenario changes, one sentence each, in the names people use."""
    said: list[str] = []
    now_m, now_b = profile.maturity.model_dump(), profile.barriers.model_dump()
    for area, level in maturity.items():
        if now_m.get(area) != level:
            name = AREA_NAMES.get(TechnologyAreaId(area), area) if area in _AREAS else area
            said.append(f"{name} maturity from level {now_m.get(area)} to level {level}")
    for barrier, severity in barriers.items():
        if now_b.get(barrier) != severity:
            was = int(now_b.get(barrier) or 0)
            said.append(
                f"{barrier_names.get(barrier, barrier)} barrier from {SEVERITY.get(was, was)} "
                f"to {SEVERITY.get(int(severity), severity)}"
            )
    return said


_AREAS = frozenset(a.value for a in TechnologyAreaId)


def _scenario_view(row: WhatIfScenario, author: str | None) -> ScenarioView:
    return ScenarioView(
        id=row.id,
        assessment_id=row.assessment_id,
        title=row.title,
        maturity={k: int(v) for k, v in (row.maturity or {}).items()},
        barriers={k: int(v) for k, v in (row.barriers or {}).items()},
        author=author,
        created_at=row.created_at,
    )


def save_scenario(
    db: Database,
    actor: Principal,
    assessment_id: int,
    title: str,
    profile: Profile,
    maturity: Mapping[str, int],
    barriers: Mapping[str, int],
) -> ScenarioView:
    """Keep a what-if on a submitted assessment (only what it changes), apart from it."""
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InputError.single("what-if", "title", "give a title of 1 to 200 characters")
    adjusted_profile(profile, maturity, barriers)  # the same checks as trying it
    new_m, new_b = changed_only(profile, maturity, barriers)
    if not new_m and not new_b:
        raise InputError.single(
            "what-if", "changes", "change at least one level or barrier before saving"
        )
    with db.write() as session:
        a = session.get(Assessment, assessment_id)
        if a is None:
            raise NotFoundError(f"no assessment #{assessment_id}")
        require(actor, Action.assessment_view, a.organisation_id)
        if a.status != "submitted":
            raise InputError.single("what-if", "assessment", "submit the assessment first")
        row = WhatIfScenario(
            assessment_id=a.id,
            author_id=actor.user_id,
            title=title,
            maturity=new_m,
            barriers=new_b,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "what_if.save",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
            detail={"scenario_id": row.id},
        )
        return _scenario_view(row, actor.email)


def list_scenarios(db: Database, actor: Principal, assessment_id: int) -> list[ScenarioView]:
    """The what-ifs saved on an assessment, newest first."""
    with db.read() as session:
        a = session.get(Assessment, assessment_id)
        if a is None:
            raise NotFoundError(f"no assessment #{assessment_id}")
        require(actor, Action.assessment_view, a.organisation_id)
        rows = session.execute(
            select(WhatIfScenario, User.email)
            .outerjoin(User, User.id == WhatIfScenario.author_id)
            .where(WhatIfScenario.assessment_id == a.id)
            .order_by(WhatIfScenario.id.desc())
        )
        return [_scenario_view(row, email) for row, email in rows]
