"""What every matching step needs to know about one profile, worked out once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from advisor.matching.goals import GoalHit
from advisor.matching.index import MatchIndex
from advisor.matching.rules import MatchingRules
from advisor.profile import Profile
from advisor.recommendation import Reason
from advisor.vocabulary import BarrierId, TechnologyAreaId

if TYPE_CHECKING:
    from advisor.matching.need import NeedScores


@dataclass
class Gap:
    area: TechnologyAreaId
    level: int
    priority: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class MatchContext:
    profile: Profile
    index: MatchIndex
    rules: MatchingRules
    goal_hits: dict[str, list[GoalHit]]
    model_fit: dict[str, float]
    gaps: list[Gap] = field(default_factory=list)
    need: NeedScores | None = None
    """How well each case study and offering answers the stated goals (set once, early)."""

    @property
    def best_model(self) -> str | None:
        if not self.model_fit:
            return None
        return min(self.model_fit, key=lambda m: (-self.model_fit[m], m))

    @property
    def top_gaps(self) -> list[Gap]:
        return self.gaps[: self.rules.vendor.top_gaps]

    @cached_property
    def max_fit(self) -> float:
        """The best model fit (1 when no model fits, to divide by safely)."""
        return max(self.model_fit.values(), default=0.0) or 1.0

    @cached_property
    def top_total(self) -> float:
        """Summed priority of the top gaps (1 when there are none)."""
        return sum(g.priority for g in self.top_gaps) or 1.0

    def gap_priority(self, area: str) -> float:
        return next((g.priority for g in self.gaps if g.area.value == area), 0.0)

    @cached_property
    def _severities(self) -> dict[str, int]:
        return {b.value: self.profile.barriers.get(b) for b in BarrierId}

    def severity(self, barrier: BarrierId | str) -> int:
        return self._severities[str(barrier)]

    def total_severity(self) -> int:
        return sum(self._severities.values())

    @cached_property
    def _goal_targets(self) -> set[tuple[str, str]]:
        return {(h.target.kind, h.target.id) for hits in self.goal_hits.values() for h in hits}

    def named_entry(self, goal: str) -> str | None:
        """The entry's name when the goal was given as an entry's id or name, else None."""
        hits = self.goal_hits.get(goal, [])
        return hits[0].target.name if hits and hits[0].exact else None

    def goal_label(self, goal: str) -> str:
        """How a goal is named to people: the entry's name when it was given as an entry's id
        or name, else the words as written."""
        return self.named_entry(goal) or goal

    def goal_targets(self) -> set[tuple[str, str]]:
        """(kind, id) of every knowledge-base entry a goal matched."""
        return self._goal_targets

    @cached_property
    def _goal_touchpoints(self) -> set[str]:
        """Touchpoints the goals reach, directly or through an opportunity."""
        out: set[str] = set()
        for kind, ref in self.goal_targets():
            if kind == "touchpoint":
                out.add(ref)
            elif kind == "opportunity":
                out.update(self.index.opportunities[ref].touchpoints)
        return out

    def goal_touchpoints(self) -> set[str]:
        """Touchpoints the goals reach, directly or through an opportunity."""
        return self._goal_touchpoints

    def tie_break(self, ref: str) -> str:
        """Order among equal scores: the entry's id, so the body's own name never flips it.

        The reports say where items tie (``tie``), so the order among ties carries no meaning.
        """
        return ref

    @cached_property
    def top_gap_weights(self) -> dict[str, float]:
        """Per top gap's area: its priority times its rarity (see ``case_area_rarity``)."""
        rarity = self.case_area_rarity
        return {g.area.value: g.priority * rarity[g.area.value] for g in self.top_gaps}

    @cached_property
    def top_gap_weight_total(self) -> float:
        return sum(self.top_gap_weights.values()) or 1.0

    @cached_property
    def case_area_rarity(self) -> dict[str, float]:
        """Per area, how rare it is among the case studies (smoothed inverse document frequency).

        Used for case studies and offerings alike: an area that nearly every case needed says
        little about which entry fits, and the curated cases do not move when a vendor is added.
        """
        return _rarity([cs.technology_areas for cs in self.index.case_studies.values()])


def _rarity(area_lists: list[list[TechnologyAreaId]]) -> dict[str, float]:
    """``1 + ln((n + 1) / (df + 1))`` per area: an area nearly every entry covers counts least."""
    n = len(area_lists)
    df = {a.value: 0 for a in TechnologyAreaId}
    for areas in area_lists:
        for a in set(areas):
            df[a.value] += 1
    return {a: 1.0 + math.log((n + 1) / (d + 1)) for a, d in df.items()}


def sort_ranked(items: list[tuple[float, str]], ctx: MatchContext) -> list[tuple[float, str]]:
    """Best first; equal scores (to 6 places) in an order no entry can choose."""
    by_score = sorted(items, key=lambda x: -round(x[0], 6))
    out: list[tuple[float, str]] = []
    i = 0
    while i < len(by_score):  # only runs of equal scores need the (costlier) tie-break
        j = i + 1
        while j < len(by_score) and round(by_score[j][0], 6) == round(by_score[i][0], 6):
            j += 1
        group = by_score[i:j]
        out.extend(group if len(group) == 1 else sorted(group, key=lambda x: ctx.tie_break(x[1])))
        i = j
    return out
