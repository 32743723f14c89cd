"""The rules for reading public contract awards: ``market.yaml`` in a knowledge-base folder.

Which CPV codes and words mean which technology area, which words name which framework, which
supplier names mean a withheld supplier, how a buyer's name tells its kind, which dates are
believable and which company-name endings are set aside when names are compared. A folder
without the file uses the bundled one; ``advisor kb validate`` checks it when it is there.

- ``market_rules_from_document(doc)``: validate parsed rules (``InputError`` naming each field).
- ``load_market_rules(root)``: a folder's rules, or the bundled ones when it has none.
- ``bundled_market_rules()``: the bundled rules, read once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationError

from advisor.base import Name, StrictModel
from advisor.errors import InputError, problems_from_validation
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.vocabulary import FrameworkId, OrgKind, TechnologyAreaId
from advisor.yamlio import YamlDocument, parse_yaml, read_yaml

MARKET = "market.yaml"

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]
CpvPrefix = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,8}$")]


class CpvArea(StrictModel):
    """Every CPV code starting with ``prefix`` answers these areas (the longest prefix wins)."""

    prefix: CpvPrefix
    name: Name
    """What the codes are, in the CPV list's words."""
    areas: list[TechnologyAreaId] = Field(min_length=1)


class WordsArea(StrictModel):
    """An award whose title or description holds one of ``words`` also answers ``areas``."""

    words: list[Words] = Field(min_length=1)
    areas: list[TechnologyAreaId] = Field(min_length=1)


class FrameworkWords(StrictModel):
    """A notice naming one of ``words`` (any case) is a call-off from ``framework``."""

    framework: FrameworkId
    words: list[Words] = Field(min_length=1)


class BuyerKindWords(StrictModel):
    """A buyer whose name holds one of ``words`` is of this kind (the first rule that fits)."""

    kind: OrgKind
    words: list[Words] = Field(min_length=1)


class Dates(StrictModel):
    """Dates outside these bounds are not believable and are set aside."""

    earliest_year: int = Field(strict=True, ge=1900, le=2100)
    latest_years_ahead: int = Field(strict=True, ge=1, le=100)
    """A date more than this many years after the import is set aside."""


class NameMatching(StrictModel):
    endings: list[Words] = Field(min_length=1)
    """Words set aside at the end of a company name ('ltd', 'limited', 'plc')."""
    place_words: list[Words] = Field(default_factory=list)
    """Words set aside for a looser match of public bodies ('council', 'borough of')."""
    exact_confidence: float = Field(ge=0, le=1)
    """Confidence of a match on the normalised name."""
    loose_confidence: float = Field(ge=0, le=1)
    """Confidence of a match on a body's place name alone."""


class MarketRules(StrictModel):
    """How public contract awards are read and joined to the knowledge base."""

    cpv_areas: list[CpvArea] = Field(min_length=1)
    words_areas: list[WordsArea] = Field(default_factory=list)
    frameworks: list[FrameworkWords] = Field(default_factory=list)
    withheld_suppliers: list[Words] = Field(default_factory=list)
    """A supplier name holding one of these (any case) is a withheld supplier."""
    buyer_kinds: list[BuyerKindWords] = Field(default_factory=list)
    dates: Dates
    names: NameMatching
    ending_soon_months: int = Field(strict=True, ge=1, le=60)
    """Contracts ending within this many months are shown as ending soon."""
    source: Name


def market_rules_from_document(doc: YamlDocument) -> MarketRules:
    """Validate parsed market rules; raise InputError listing every problem."""
    if not isinstance(doc.data, dict):
        raise InputError.single(
            doc.path, "(file)", "expected a mapping of market rules", doc.line_of(())
        )
    try:
        return MarketRules.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(problems_from_validation(err, doc.path, doc.line_of)) from None


def load_market_rules(root: Path | str | None = None) -> MarketRules:
    """A folder's market rules, or the bundled ones when the folder has none."""
    if root is not None and (Path(root) / MARKET).is_file():
        return market_rules_from_document(read_yaml(Path(root) / MARKET))
    return bundled_market_rules()


def market_rules_from_text(text: str | None, where: str = MARKET) -> MarketRules:
    """Market rules from their text (as the store keeps them); the bundled ones for none."""
    if text is None:
        return bundled_market_rules()
    return market_rules_from_document(parse_yaml(text, where))


@lru_cache(maxsize=1)
def bundled_market_rules() -> MarketRules:
    """The market rules that ship with the advisor (read once; treat as read-only)."""
    return market_rules_from_document(read_yaml(BUNDLED_KB_DIR / MARKET))
