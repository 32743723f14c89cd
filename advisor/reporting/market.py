"""The report's and the app's market evidence section: public contract awards in plain words.

``market_section(rec)`` turns ``Recommendation.market`` into rows the report template and the
results page print as they are: each says who bought what from whom, when, for how much and
until when, with the notice's link (a plain https address, or none).
"""

from __future__ import annotations

from pydantic import Field

from advisor.base import StrictModel
from advisor.recommendation import MarketAward, Recommendation
from advisor.reporting.links import safe_https_url


class MarketRow(StrictModel):
    said: str
    """The award in one sentence."""
    areas: str
    """The technology areas of the need it answers, in words."""
    notice_url: str | None = None
    notice_label: str
    """The link's words: 'Notice on Contracts Finder' or 'Notice on Find a Tender'."""
    not_reviewed: list[str] = Field(default_factory=list)
    """Suppliers on file only from public awards, not yet reviewed."""


class MarketSection(StrictModel):
    """Context of the market evidence part of the report and the results page."""

    intro: str
    peers: list[MarketRow]
    ending_soon: list[MarketRow]
    ending_heading: str
    track_records: list[str]
    note: str


def _label(source: str) -> str:
    return "Notice on " + source.split(" (")[0]


def _row(award: MarketAward) -> MarketRow:
    return MarketRow(
        said=award.why[0] if award.why else award.title,
        areas=", ".join(a.lower() for a in award.areas),
        notice_url=safe_https_url(award.notice_url),
        notice_label=_label(award.source),
        not_reviewed=[n.rstrip(". ") for n in award.not_reviewed],
    )


def market_section(rec: Recommendation) -> MarketSection | None:
    """The market section, or none when no awards are on file or none answers the need."""
    market = rec.market
    if market is None or not (market.peers or market.ending_soon or market.track_records):
        return None
    need = ", ".join(market.areas).lower()
    months = market.ending_within_months
    return MarketSection(
        intro=(
            f"Public contract notices show who has bought something for your top needs "
            f"({need}), from whom, for how much and until when. Talk to these buyers: they "
            "know what worked."
        ),
        peers=[_row(a) for a in market.peers],
        ending_soon=[_row(a) for a in market.ending_soon],
        ending_heading=f"Contracts for similar needs ending in the next {months} months",
        track_records=[w for t in market.track_records for w in t.why],
        note=(
            f"From {market.awards_on_file:,} public contract awards on file (Contracts Finder and "
            "Find a Tender, Open Government Licence). Buyers and suppliers are matched by "
            "identifier where the notice gives one, else by name; a supplier marked 'not yet "
            "reviewed' has not been checked by a curator."
        ),
    )
