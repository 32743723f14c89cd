"""What-if: change a maturity level or a barrier, see how the advice shifts. Nothing is saved.

``adjusted_profile`` applies the changes to a copy of the profile (validated like any profile);
``advice_shift`` says, in plain sentences, what moved between two recommendations.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from advisor.errors import InputError, Problem
from advisor.profile import Barriers, Evidence, Maturity, Profile
from advisor.recommendation import RankedItem, Recommendation

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
