"""What every matching step needs to know about one profile, worked out once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from advisor.matching.goals import GoalHit
from advisor.matching.index import MatchIndex
from advisor.matching.rules import MatchingRules
from advisor.profile import Profile
from advisor.vocabulary import BarrierId, TechnologyAreaId


@dataclass
class Gap:
    area: TechnologyAreaId
    level: int
    priority: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class MatchContext:
    profile: Profile
    index: MatchIndex
    rules: MatchingRules
    goal_hits: dict[str, list[GoalHit]]
    model_fit: dict[str, float]
    gaps: list[Gap] = field(default_factory=list)

    @property
    def best_model(self) -> str | None:
        if not self.model_fit:
            return None
        return min(self.model_fit, key=lambda m: (-self.model_fit[m], m))

    @property
    def top_gaps(self) -> list[Gap]:
        return self.gaps[: self.rules.vendor.top_gaps]

    def gap_priority(self, area: str) -> float:
        return next((g.priority for g in self.gaps if g.area.value == area), 0.0)

    def severity(self, barrier: BarrierId | str) -> int:
        return self.profile.barriers.get(BarrierId(barrier))

    def total_severity(self) -> int:
        return sum(self.profile.barriers.get(b) for b in BarrierId)

    def goal_targets(self) -> set[tuple[str, str]]:
        """(kind, id) of every knowledge-base entry a goal matched."""
        return {(h.target.kind, h.target.id) for hits in self.goal_hits.values() for h in hits}

    def goal_touchpoints(self) -> set[str]:
        """Touchpoints the goals reach, directly or through an opportunity."""
        out: set[str] = set()
        for kind, ref in self.goal_targets():
            if kind == "touchpoint":
                out.add(ref)
            elif kind == "opportunity":
                out.update(self.index.opportunities[ref].touchpoints)
        return out

    def tie_break(self, ref: str) -> str:
        """Order among equal scores: a hash of the body and the entry, not its name."""
        seed = f"{self.profile.organisation.name}|{ref}".encode()
        return hashlib.sha256(seed).hexdigest()


def sort_ranked(items: list[tuple[float, str]], ctx: MatchContext) -> list[tuple[float, str]]:
    """Best first; equal scores (to 6 places) in an order no entry can choose."""
    return sorted(items, key=lambda x: (-round(x[0], 6), ctx.tie_break(x[1])))
