"""How well each case study and each offering answers the body's own stated need.

The need is what the body said it wants to do: its goals, in its own words or as the names of
knowledge-base entries. Two kinds of evidence say that an entry answers it:

- **links**: a goal that matched a touchpoint or an opportunity reaches every case study that
  involves or realises it (and a goal that names a case study reaches that case outright);
- **words**: the goal's text compared with the entry's own description (TF-IDF over stemmed
  words and character n-grams, offline: ``advisor.matching.tfidf``), so that "check
  contracts for compliance" finds a contract-analysis offering even where no case study
  links them.

Similarities are turned into a relevance between 0 and 1: below ``floor`` a likeness is noise
(0); the best entry counts fully when its likeness is at least ``strong``, the others in
proportion, squared so that a half-way likeness counts a quarter. A weak best match therefore
never counts as a strong one just for being the best there is. A goal whose words point to a
technology area also reaches, less surely (``via_area``), the cases and offerings focused on
that area. The figures are in ``matching.yaml`` under ``need``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from advisor.matching.context import MatchContext
from advisor.matching.goals import need_grams, word_stems
from advisor.matching.index import MatchIndex
from advisor.matching.postings import union
from advisor.matching.tfidf import SparseRows, Vectoriser
from advisor.matching.vendors import AREA_BIT, vendor_arrays

AREA_ORDER = sorted(AREA_BIT, key=lambda a: AREA_BIT[a])
"""Technology area ids in the order of their bits in the vendor arrays."""


@dataclass
class _Texts:
    """One way of comparing texts: a fitted vectoriser and the entries' vectors."""

    vectoriser: Vectoriser
    cases: SparseRows
    offerings: SparseRows | None
    """None for the character n-grams: a catalogue of tens of thousands of offerings is
    compared by stemmed words only, which costs a third as much to build."""
    areas: SparseRows


@dataclass
class NeedIndex:
    """Text of every case study, offering and technology area, vectorised once per knowledge
    base in two ways: stemmed words (precise) and character n-grams (forgiving of spelling).
    A likeness is the mean of the two."""

    ways: list[_Texts]
    case_ids: list[str]
    area_ids: list[str]

    def likeness(self, goal: str) -> dict[str, np.ndarray]:
        """Likeness of ``goal`` to every case, offering and area (the goal is vectorised once
        per way of comparing)."""
        queries = [way.vectoriser.vector(goal) for way in self.ways]
        out: dict[str, np.ndarray] = {}
        for kind in ("cases", "areas"):
            sims = [getattr(way, kind).dot(q) for way, q in zip(self.ways, queries, strict=True)]
            out[kind] = np.mean(sims, axis=0) if sims else np.zeros(0)
        return out

    def offering_likeness(self, goal: str) -> tuple[np.ndarray, np.ndarray]:
        """The offerings that share a word with ``goal`` (positions in the vendor arrays) and
        their likeness to it; every other offering's likeness is 0. Only the offerings on the
        goal's words' lists are read, so the cost follows the goal, not the catalogue."""
        for way in self.ways:
            if way.offerings is not None:
                return way.offerings.dot_sharing(way.vectoriser.vector(goal))
        return np.zeros(0, dtype=np.int64), np.zeros(0)


def need_index(index: MatchIndex) -> NeedIndex:
    """Built on first use and kept on the index (only bodies that state goals need it)."""
    cached = index.cache.get("need_index")
    if isinstance(cached, NeedIndex):
        return cached
    case_ids = list(index.case_studies)
    case_texts = []
    for cid in case_ids:
        cs = index.case_studies[cid]
        bodies = [
            index.bodies[b].name for b in [*cs.lead_bodies, *cs.partners] if b in index.bodies
        ]
        case_texts.append(" ".join([cs.name, cs.summary, *cs.departments, *cs.outcomes, *bodies]))
    offering_texts = [
        " ".join([o.name, o.description, *o.features, v.description])
        for v in index.kb.vendors
        for o in v.offerings
    ]
    area_ids = list(index.areas)
    area_texts = [
        " ".join(
            [
                index.areas[a].name,
                index.areas[a].description,
                *index.areas[a].examples,
                *(lv.descriptor for lv in index.areas[a].levels),
            ]
        )
        for a in area_ids
    ]
    # the vocabulary and its weights come from the curated entries only, so that adding or
    # renaming an unrelated vendor changes no other entry's likeness
    entry_texts = [
        " ".join([t.name, t.description or "", *t.aliases]) for t in index.kb.touchpoints
    ]
    entry_texts += [" ".join([o.name, o.description]) for o in index.kb.opportunities]
    ways = []
    for analyse, with_offerings in ((word_stems, True), (need_grams, False)):
        vectoriser = Vectoriser.fit(case_texts + area_texts + entry_texts, analyse, np.float32)
        ways.append(
            _Texts(
                vectoriser=vectoriser,
                cases=vectoriser.transform(case_texts),
                offerings=vectoriser.transform(offering_texts) if with_offerings else None,
                areas=vectoriser.transform(area_texts),
            )
        )
    built = NeedIndex(ways=ways, case_ids=case_ids, area_ids=area_ids)
    index.cache["need_index"] = built
    return built


@dataclass
class CaseNeed:
    """How a case study answers the need, and the goal and link that say so."""

    relevance: float
    goal: str
    via: str
    """'named' (the goal names it), 'touchpoint', 'opportunity', 'words' or 'area'."""
    target: str | None = None
    """The touchpoint, opportunity or technology area id the goal reached."""


@dataclass
class NeedScores:
    cases: dict[str, CaseNeed] = field(default_factory=dict)
    offerings: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Relevance of each offering's own words to the need (VendorArrays order)."""
    goals: list[str] = field(default_factory=list)
    offering_goal: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per offering, the index in ``goals`` of the goal its relevance comes from."""
    offering_area: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Per offering, the position in ``AREA_ORDER`` of the technology area its relevance comes
    through, or -1 when it comes from its own words."""

    def offering_source(self, at: int) -> tuple[str, str | None]:
        """The goal an offering answers, and the area it answers it through (if any)."""
        area = int(self.offering_area[at])
        return self.goals[int(self.offering_goal[at])], AREA_ORDER[area] if area >= 0 else None

    areas: dict[str, float] = field(default_factory=dict)
    """Technology areas the goals' own words point to (area id -> relevance 0-1)."""
    area_goal: dict[str, str] = field(default_factory=dict)

    @property
    def stated(self) -> bool:
        return bool(self.cases) or bool(self.offerings.size and self.offerings.max() > 0)


def _scale(sims: np.ndarray, floor: float, strong: float) -> np.ndarray:
    """Similarities as relevance 0-1: noise below ``floor``, full at ``strong`` or the best."""
    if sims.size == 0:
        return sims
    ref = max(float(sims.max()), strong)
    return np.asarray(np.clip((sims - floor) / (ref - floor), 0.0, 1.0) ** 2)


def need_scores(ctx: MatchContext) -> NeedScores:
    """Relevance of every case study and offering to the body's goals."""
    goals = list(ctx.profile.goals)
    out = NeedScores()
    n_offerings = vendor_arrays(ctx.index).off_area.size
    out.offerings = np.zeros(n_offerings)
    out.goals = goals
    out.offering_goal = np.zeros(n_offerings, dtype=np.int64)
    out.offering_area = np.full(n_offerings, -1, dtype=np.int64)
    if not goals:
        return out
    rules = ctx.rules.need
    nidx = need_index(ctx.index)
    best: dict[str, CaseNeed] = {}

    def offer(cid: str, cand: CaseNeed) -> None:
        if cand.relevance > 0 and (cid not in best or cand.relevance > best[cid].relevance):
            best[cid] = cand

    for goal in goals:
        hits = ctx.goal_hits.get(goal, [])
        top_hit = max((h.similarity for h in hits), default=0.0)
        for h in hits:
            if h.exact:
                strength = 1.0
            else:
                strength = float(_scale(np.array([h.similarity]), rules.floor, rules.strong)[0])
                # a runner-up hit counts less than the goal's best one, squared like the rest
                strength *= (h.similarity / top_hit) ** 2 if top_hit else 0.0
            t = h.target
            entry = (
                ctx.index.touchpoints.get(t.id)
                if t.kind == "touchpoint"
                else ctx.index.opportunities.get(t.id)
                if t.kind == "opportunity"
                else None
            )
            if entry is not None:
                # the areas a matched touchpoint or opportunity needs are part of the need
                for area in entry.technology_areas:
                    rel = strength * rules.via_touchpoint * rules.area_from_entry
                    if rel > out.areas.get(area.value, 0.0):
                        out.areas[area.value] = rel
                        out.area_goal[area.value] = goal
            if t.kind == "case_study":
                offer(t.id, CaseNeed(strength, goal, "named" if h.exact else "words"))
            elif t.kind == "touchpoint":
                for cid, cs in ctx.index.case_studies.items():
                    if t.id in cs.touchpoints:
                        offer(
                            cid, CaseNeed(strength * rules.via_touchpoint, goal, "touchpoint", t.id)
                        )
            elif t.kind == "opportunity":
                for cid, cs in ctx.index.case_studies.items():
                    if t.id in cs.opportunities:
                        offer(
                            cid,
                            CaseNeed(strength * rules.via_opportunity, goal, "opportunity", t.id),
                        )
        if ctx.named_entry(goal) is not None:
            continue  # a goal given as an entry's name is said by its links, not its letters
        likeness = nidx.likeness(goal)
        case_rel = _scale(likeness["cases"], rules.floor, rules.strong)
        for i, cid in enumerate(nidx.case_ids):
            offer(cid, CaseNeed(float(case_rel[i]), goal, "words"))
        area_sims = likeness["areas"]
        area_rel = _scale(area_sims, rules.area_floor, rules.area_strong)
        top_area = float(area_rel.max()) if area_rel.size else 0.0
        for i, aid in enumerate(nidx.area_ids):
            # only the area(s) the words clearly point to, not every area they brush past
            if (
                area_rel[i] > 0
                and area_rel[i] >= 0.8 * top_area
                and area_rel[i] > out.areas.get(aid, 0)
            ):
                out.areas[aid] = float(area_rel[i])
                out.area_goal[aid] = goal
        rows, sims = nidx.offering_likeness(goal)  # all others are 0: never better
        off_rel = _scale(sims, rules.floor, rules.strong)
        better = rows[off_rel > out.offerings[rows]]
        out.offerings[better] = off_rel[off_rel > out.offerings[rows]]
        out.offering_goal[better] = goals.index(goal)
        out.offering_area[better] = -1
    if out.areas:
        _through_areas(ctx, out, offer)
    out.cases = best
    return out


def _focus(areas: set[str], wanted: dict[str, float]) -> float:
    """Relevance through areas: the best wanted area covered, times the share of the entry's
    areas that are wanted (only an entry focused on the need's areas answers it this way)."""
    hit = [wanted[a] for a in areas if a in wanted]
    if not hit:
        return 0.0
    return float(max(hit) * len(hit) / len(areas))


def _telling(out: NeedScores, ctx: MatchContext) -> dict[str, float]:
    """The need's areas, each weighed by how telling it is: an area that nearly every case
    study needed (such as data aggregation) says little about which entry answers the need."""
    rarity = ctx.case_area_rarity
    return {a: rel * min(1.0, rarity[a] / 2.0) for a, rel in out.areas.items()}


def _through_areas(
    ctx: MatchContext, out: NeedScores, offer: Callable[[str, CaseNeed], None]
) -> None:
    """A goal whose words point to a technology area (e.g. "move servers out of the server
    room" to IT resources) is answered, less surely, by cases and offerings focused on it:
    the best such area, times the share of the entry's areas that are such areas."""
    via = ctx.rules.need.via_area
    wanted = _telling(out, ctx)
    for cid, cs in ctx.index.case_studies.items():
        areas = {a.value for a in cs.technology_areas}
        rel = via * _focus(areas, wanted)
        if rel > 0:
            aid = max((a for a in areas if a in wanted), key=lambda a: (wanted[a], a))
            offer(cid, CaseNeed(rel, out.area_goal[aid], "area", aid))
    # offerings: one look-up per combination of areas, then array operations
    value = np.zeros(1 << len(AREA_ORDER))
    best = np.full(1 << len(AREA_ORDER), -1, dtype=np.int64)
    for mask in range(1, 1 << len(AREA_ORDER)):
        areas = {a for bit, a in enumerate(AREA_ORDER) if mask >> bit & 1}
        value[mask] = via * _focus(areas, wanted)
        if value[mask] > 0:
            top = max((a for a in areas if a in wanted), key=lambda a: (wanted[a], a))
            best[mask] = AREA_ORDER.index(top)
    # only offerings with one of the wanted areas can gain (for any other the value is 0)
    arr = vendor_arrays(ctx.index)
    near = [arr.area_postings[AREA_BIT[a]] for a in wanted]
    at = union(near)
    masks = arr.off_area[at]
    rel = value[masks]
    gains = rel > out.offerings[at]
    better = at[gains]
    out.offerings[better] = rel[gains]
    area_of = best[masks][gains]
    out.offering_area[better] = area_of
    goal_of = np.array(
        [out.goals.index(out.area_goal[a]) if a in out.area_goal else 0 for a in AREA_ORDER] + [0],
        dtype=np.int64,
    )
    out.offering_goal[better] = goal_of[area_of]
