"""A compiled OCDS release to an ``AwardedProcess``, under the stated bad-data rules.

Each rule counts what it did, in plain words, into ``Tally``: ``skipped`` for what was not
imported and why, ``noted`` for what was imported with something set aside. The rules:

- a release with no ``ocid`` or no ``date``: skipped (no identifier; no date to order it by);
- a process with no buyer name: skipped;
- a process with no award yet (a plan or tender only, or its award published under another
  OCID): skipped;
- an award whose supplier names are all empty, or are the notice's own title (a known slip in
  Contracts Finder data): skipped, unless the supplier is withheld;
- a withheld supplier ('Withheld Section94 supplier'): the award is kept with no supplier;
- a value missing, not above zero or not believable: kept without a value; a value in another
  currency: kept with that currency and amount, not converted;
- a date before ``market.yaml``'s earliest year or too far ahead, or a contract end before its
  start: that date is set aside;
- a process whose CPV codes and words answer no technology area: skipped (not about technology).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, StringConstraints

from advisor.base import MAX_NAME, MAX_TEXT, text_problem
from advisor.kb.market_rules import MarketRules
from advisor.kb.models import AwardedProcess, AwardParty, ContractAward
from advisor.vocabulary import FrameworkId, OrgKind, TechnologyAreaId

if TYPE_CHECKING:
    from pydantic import HttpUrl

SOURCES = {
    "ocds-b5fd17": "Contracts Finder (Open Government Licence)",
    "ocds-h6vhtk": "Find a Tender (Open Government Licence)",
}
FIND_A_TENDER_NOTICE = "https://www.find-tender.service.gov.uk/Notice/{id}"
NOTICE_DOCUMENTS = ("awardNotice", "contractNotice", "tenderNotice")
MAX_GBP = 10**13
MAX_SOURCE = 300
MAX_ID = 80

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Text-direction embeddings, overrides and isolates (they make a name read otherwise than it
is) and halves of surrogate pairs (no character at all): taken out of notice text."""
_SPACES = re.compile(r"[ \t]+")
_KB_ID = re.compile(r"[a-z0-9][a-z0-9_]*")
_CPV_CODE = re.compile(r"[0-9]{8}")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass
class Tally:
    """What an import did, counted by reason in plain words."""

    skipped: Counter[str] = field(default_factory=Counter)
    noted: Counter[str] = field(default_factory=Counter)


_PASSING: dict[bool, set[str]] = {False: set(), True: set()}
_FAILING: dict[bool, set[str]] = {False: set(), True: set()}
_SHOWN: dict[bool, set[str]] = {False: set(), True: set()}


def text_passes(value: str, *, multiline: bool, required: bool = True) -> bool:
    """Whether ``advisor.base.text_problem`` finds nothing wrong with ``value``, asking it about
    each character only once. It judges each character on its own (refused or not, visible or
    not) and refuses text with no visible character, so the answer for a text follows from the
    answers for its characters: a character passes when ``text_problem(ch + "x")`` finds nothing
    ('x' passes and shows), and shows when ``text_problem(ch)`` finds nothing."""
    chars = set(value)
    passing = _PASSING[multiline]
    new = chars - passing
    if new:
        if not new.isdisjoint(_FAILING[multiline]):
            return False
        for ch in new:
            if text_problem(ch + "x", multiline=multiline) is not None:
                _FAILING[multiline].add(ch)
                return False
            if text_problem(ch, multiline=multiline) is None:
                _SHOWN[multiline].add(ch)
            passing.add(ch)
    if not value:
        return not required
    return not chars.isdisjoint(_SHOWN[multiline])


def _fits(value: Any, limit: int, *, multiline: bool = False, required: bool = True) -> bool:
    """Whether a text type of ``advisor.base`` (``Name``, ``Line``; ``Text``, ``Note`` when
    ``multiline``) takes ``value`` as it is: a string with no space to strip at either end
    (anything ``str.isspace`` calls a space, which holds every character pydantic strips),
    within ``limit`` and, when ``required``, not empty, that ``text_problem`` passes."""
    return (
        type(value) is str
        and len(value) <= limit
        and (not value or not (value[0].isspace() or value[-1].isspace()))
        and text_passes(value, multiline=multiline, required=required)
    )


def _fits_or_none(value: Any, limit: int, *, multiline: bool = False) -> bool:
    return value is None or _fits(value, limit, multiline=multiline, required=False)


def _is(value: Any, kind: type, *, optional: bool = True) -> bool:
    return (optional and value is None) or type(value) is kind


_UNMATCHED: dict[str, Any] = {
    "match": None,
    "match_kind": None,
    "match_by": None,
    "confidence": None,
}
"""``AwardParty``'s other fields at their defaults: given to ``model_construct`` with the fields
set (``_fields_set``), so that it need not look each default up."""


def _lengths(model: type[BaseModel], name: str) -> tuple[int, int]:
    """The least and the most length a model's text field allows, read from the model."""
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, StringConstraints):
            return rule.min_length or 0, rule.max_length or sys.maxsize
    return 0, sys.maxsize


_AWARD_ID = _lengths(ContractAward, "id")
_OCID = _lengths(AwardedProcess, "ocid")
_SOURCE = _lengths(AwardedProcess, "source")


def _party_model(name: str, identifier: str | None) -> AwardParty:
    """``AwardParty(name=..., identifier=...)``, built without validating again what is shown
    to pass (validated as ever otherwise: a text the rules refuse is refused as before)."""
    if _fits(name, MAX_NAME) and _fits_or_none(identifier, MAX_NAME):
        given = {"name", "identifier"}  # a set of its own: assignments add to it
        return AwardParty.model_construct(given, name=name, identifier=identifier, **_UNMATCHED)
    return AwardParty(name=name, identifier=identifier)


def _award_model(**fields: Any) -> ContractAward:
    """``ContractAward(**fields)`` (fields as ``process_from_release`` gives them), built
    without validating again what is shown to pass."""
    award_id = fields["id"]
    value, currency, amount = fields["value_gbp"], fields["currency"], fields["amount"]
    checked = (
        type(award_id) is str
        and _AWARD_ID[0] <= len(award_id) <= _AWARD_ID[1]
        and not (award_id[0].isspace() or award_id[-1].isspace())
        and _fits_or_none(fields["title"], MAX_NAME)
        and _fits_or_none(fields["description"], MAX_TEXT, multiline=True)
        and all(type(s) is AwardParty for s in fields["suppliers"])
        and type(fields["withheld"]) is bool
        and (value is None or (type(value) is int and 0 <= value <= MAX_GBP))
        and (currency is None or (type(currency) is str and _CURRENCY.fullmatch(currency)))
        and (amount is None or (type(amount) is float and math.isfinite(amount)))
        and all(_is(fields[k], date) for k in ("awarded_on", "start", "end"))
    )
    return ContractAward.model_construct(**fields) if checked else ContractAward(**fields)


def _url(value: str | None) -> HttpUrl | None:
    """The URL as ``AwardedProcess.notice_url`` holds it (none when it is refused)."""
    from pydantic import HttpUrl, ValidationError

    try:
        return HttpUrl(value) if isinstance(value, str) else None
    except ValidationError:
        return None


def _process_model(**fields: Any) -> AwardedProcess:
    """``AwardedProcess(**fields)`` (fields as ``process_from_release`` gives them), built
    without validating again what is shown to pass."""
    kb, ocid, url = fields["id"], fields["ocid"], fields["notice_url"]
    checked_url = _url(url) if url is not None else None
    checked = (
        type(kb) is str
        and len(kb) <= MAX_ID
        and _KB_ID.fullmatch(kb) is not None
        and type(ocid) is str
        and _OCID[0] <= len(ocid) <= _OCID[1]
        and not (ocid[0].isspace() or ocid[-1].isspace())
        and _fits_or_none(fields["release_id"], MAX_NAME)
        and fields["release_id"] is not None
        and _is(fields["release_date"], datetime, optional=False)
        and type(fields["buyer"]) is AwardParty
        and _is(fields["buyer_kind"], OrgKind)
        and _fits(fields["title"], MAX_NAME)
        and _fits_or_none(fields["description"], MAX_TEXT, multiline=True)
        and all(type(c) is str and _CPV_CODE.fullmatch(c) for c in fields["cpv"])
        and all(type(a) is TechnologyAreaId for a in fields["technology_areas"])
        and _is(fields["framework"], FrameworkId)
        and _fits_or_none(fields["framework_text"], MAX_NAME)
        and (url is None or checked_url is not None)
        and len(fields["awards"]) > 0
        and all(type(a) is ContractAward for a in fields["awards"])
        and _fits(fields["source"], MAX_SOURCE)
        and len(fields["source"]) >= _SOURCE[0]
    )
    if checked:
        return AwardedProcess.model_construct(**{**fields, "notice_url": checked_url})
    return AwardedProcess(**fields)


def clean_text(value: Any, limit: int, *, multiline: bool = False) -> str | None:
    """Text from a notice made safe for the knowledge base: control characters and blank
    lines out, text-direction controls and broken characters taken out, cut to ``limit``
    characters; none for no visible text."""
    if not isinstance(value, str):
        return None
    if len(value) <= _CACHED_TEXT:
        return _clean_cached(value, limit, multiline)
    return _clean(value, limit, multiline)


_CACHED_TEXT = 300
"""Texts up to this long (names, titles) are cleaned once each: buyers and suppliers recur."""


@lru_cache(maxsize=20_000)
def _clean_cached(value: str, limit: int, multiline: bool) -> str | None:
    return _clean(value, limit, multiline)


def _clean(value: str, limit: int, multiline: bool) -> str | None:
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _HIDDEN.sub("", _CONTROL.sub(" ", text))
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
    else:
        text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    if not text or not any(ch.isalnum() for ch in text):
        return None
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def kb_id(ocid: str) -> str:
    """The knowledge-base id of a process: its OCID in lower case with '_' for anything else."""
    base = re.sub(r"[^a-z0-9]+", "_", ocid.lower()).strip("_")
    if len(base) > 80:
        import hashlib

        digest = hashlib.sha256(ocid.encode()).hexdigest()[:12]
        base = f"{base[:67]}_{digest}"
    return base or "process"


def release_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: Any, rules: MarketRules, today: date, tally: Tally) -> date | None:
    moment = release_date(value)
    if moment is None:
        if value not in (None, ""):
            tally.noted["a date that is not a date, set aside"] += 1
        return None
    day = moment.date()
    if (
        day.year < rules.dates.earliest_year
        or day.year > today.year + rules.dates.latest_years_ahead
    ):
        tally.noted["an unrealistic date, set aside"] += 1
        return None
    return day


def _object(value: Any) -> dict[str, Any]:
    """An OCDS object field as read: itself, or an empty one when the notice holds anything
    else there (a list, a number, a text)."""
    return value if isinstance(value, dict) else {}


def _objects(value: Any, kind: type = dict) -> list[Any]:
    """An OCDS array field's members of the expected ``kind`` (objects unless told): none
    when the notice holds anything but an array there, and no member of another kind."""
    return [v for v in value if isinstance(v, kind)] if isinstance(value, list) else []


def _identifier(party: dict[str, Any] | None, ref: dict[str, Any]) -> str | None:
    if party is not None:
        ident = party.get("identifier")
        if isinstance(ident, dict) and ident.get("scheme") and ident.get("id"):
            return clean_text(f"{ident['scheme']}-{ident['id']}", MAX_NAME)
        for extra in _objects(party.get("additionalIdentifiers")):
            if isinstance(extra, dict) and extra.get("scheme") and extra.get("id"):
                return clean_text(f"{extra['scheme']}-{extra['id']}", MAX_NAME)
    ref_id = ref.get("id")
    # a party id such as 'GB-COH-01616977' or 'GB-PPON-...' is itself a scheme id
    if isinstance(ref_id, str) and re.match(r"^[A-Z]{2}-[A-Z]{2,6}-\S+$", ref_id):
        return clean_text(ref_id, MAX_NAME)
    return None


def _party(ref: Any, parties: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
    if not isinstance(ref, dict):
        return None, None
    party = parties.get(str(ref.get("id"))) if ref.get("id") is not None else None
    name = clean_text(ref.get("name"), MAX_NAME) or (
        clean_text(party.get("name"), MAX_NAME) if party else None
    )
    return name, _identifier(party, ref)


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a rule's words, each matched as whole words."""
    either = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{either})(?![a-z0-9])")


def _has(text: str, words: list[str]) -> bool:
    return _words_pattern(tuple(words)).search(text) is not None


@lru_cache(maxsize=64)
def _rules_pattern(rules: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """One pattern for a list of rules' words: group ``r<i>`` matches rule i's words."""
    parts = []
    for i, words in enumerate(rules):
        either = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
        parts.append(f"(?P<r{i}>{either})")
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(parts)})(?![a-z0-9])")


def _rules_met(text: str, rules: tuple[tuple[str, ...], ...]) -> list[int]:
    """The rules (by position) whose words the text holds, in one pass over the text (where
    two rules' words overlap, the one starting first, then listed first, counts)."""
    met = _rules_pattern(rules).finditer(text)
    return sorted({int(m.lastgroup[1:]) for m in met if m.lastgroup})


@dataclass(frozen=True)
class RuleWords:
    """What ``market.yaml`` gives the reading of every process, looked up once per import
    (``RuleWords.of(rules)``) rather than once per process."""

    by_prefix: dict[str, list[TechnologyAreaId]]
    area_words: tuple[tuple[str, ...], ...]
    framework_words: tuple[tuple[str, ...], ...]
    kind_words: tuple[tuple[str, ...], ...]
    withheld: tuple[str, ...]

    @classmethod
    def of(cls, rules: MarketRules) -> RuleWords:
        return cls(
            by_prefix={r.prefix: r.areas for r in rules.cpv_areas},
            area_words=tuple(tuple(r.words) for r in rules.words_areas),
            framework_words=tuple(tuple(r.words) for r in rules.frameworks),
            kind_words=tuple(tuple(r.words) for r in rules.buyer_kinds),
            withheld=tuple(w.lower() for w in rules.withheld_suppliers),
        )


_AREAS = tuple(TechnologyAreaId)


def technology_areas(
    cpv: list[str], text: str, rules: MarketRules, words: RuleWords | None = None
) -> list[TechnologyAreaId]:
    """The areas an award answers: by each CPV code's longest listed prefix, and by words."""
    words = words or RuleWords.of(rules)
    found: set[TechnologyAreaId] = set()
    by_prefix = words.by_prefix
    for code in cpv:
        for length in range(8, 1, -1):
            areas = by_prefix.get(code[:length])
            if areas is not None:
                found.update(areas)
                break
    for i in _rules_met(text.lower(), words.area_words):
        found.update(rules.words_areas[i].areas)
    return [a for a in _AREAS if a in found]


def framework_named(
    texts: list[str], rules: MarketRules, words: RuleWords | None = None
) -> tuple[FrameworkId | None, str | None]:
    """The framework a notice names in its words (the first rule that fits the first text
    that names one), and the words that name it."""
    framework_words = (words or RuleWords.of(rules)).framework_words
    for text in texts:
        met = _rules_met(text.lower(), framework_words)
        if met:
            return rules.frameworks[met[0]].framework, clean_text(text, MAX_NAME)
    return None, None


def buyer_kind(name: str, rules: MarketRules, words: RuleWords | None = None) -> OrgKind | None:
    """The kind of body a buyer's name tells (the first rule that fits)."""
    met = _rules_met(name.lower(), (words or RuleWords.of(rules)).kind_words)
    return rules.buyer_kinds[met[0]].kind if met else None


def _cpv(release: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    tender = _object(release.get("tender"))
    blocks: list[Any] = [tender.get("classification")]
    for holder in [tender, *_objects(release.get("awards"))]:
        if not isinstance(holder, dict):
            continue
        for item in _objects(holder.get("items")):
            if isinstance(item, dict):
                blocks.append(item.get("classification"))
                blocks.extend(_objects(item.get("additionalClassifications")))
    for block in blocks:
        if isinstance(block, dict) and str(block.get("scheme", "")).upper() == "CPV":
            code = re.sub(r"\D", "", str(block.get("id", "")))[:8]
            if len(code) == 8 and code not in codes:
                codes.append(code)
    return codes


def _value(
    award: dict[str, Any], contracts: list[dict[str, Any]], tally: Tally
) -> tuple[int | None, str | None, float | None]:
    value = award.get("value")
    if not isinstance(value, dict) or value.get("amount") in (None, ""):
        for contract in contracts:
            if contract.get("awardID") == award.get("id") and isinstance(
                contract.get("value"), dict
            ):
                value = contract["value"]
                break
    amount = value.get("amount") if isinstance(value, dict) else None
    if isinstance(amount, str):
        try:
            amount = float(amount)
        except ValueError:
            amount = None
    if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
        tally.noted["a value missing, kept without one"] += 1
        return None, None, None
    currency = str((value or {}).get("currency") or "GBP").upper()
    if currency != "GBP":
        tally.noted["a value in another currency, kept unconverted"] += 1
        ok = re.fullmatch(r"[A-Z]{3}", currency) is not None
        return None, currency if ok else None, float(amount) if ok else None
    if amount >= MAX_GBP:
        tally.noted["an unrealistic value, set aside"] += 1
        return None, None, None
    return round(amount), None, None


def _notice_url(
    ocid: str, release_id: str, release: dict[str, Any], awards: list[dict[str, Any]]
) -> str | None:
    documents: list[Any] = []
    for award in awards:
        documents.extend(_objects(award.get("documents")))
    documents.extend(_objects(_object(release.get("tender")).get("documents")))
    for kind in NOTICE_DOCUMENTS:
        for doc in documents:
            if isinstance(doc, dict) and doc.get("documentType") == kind:
                url = doc.get("url")
                if isinstance(url, str) and url.startswith("https://"):
                    return url
    if ocid.startswith("ocds-h6vhtk-"):
        notice = re.match(r"^\d{6}-\d{4}", release_id)
        if notice:
            return FIND_A_TENDER_NOTICE.format(id=notice.group(0))
    return None


def process_from_release(
    compiled: dict[str, Any],
    release_id: str,
    when: datetime,
    rules: MarketRules,
    today: date,
    tally: Tally,
    words: RuleWords | None = None,
) -> AwardedProcess | None:
    """The process a compiled release describes, or none (counted in ``tally.skipped``);
    ``words``: ``RuleWords.of(rules)``, when the caller reads many processes."""
    words = words or RuleWords.of(rules)
    ocid = str(compiled["ocid"])
    parties = {str(p["id"]): p for p in _objects(compiled.get("parties")) if "id" in p}
    buyer_name, buyer_ident = _party(compiled.get("buyer"), parties)
    if buyer_name is None:
        buyer_refs = [p for p in parties.values() if "buyer" in _objects(p.get("roles"), str)]
        if buyer_refs:
            buyer_name, buyer_ident = _party(buyer_refs[0], parties)
    if buyer_name is None:
        tally.skipped["no buyer named"] += 1
        return None
    raw_awards = _objects(compiled.get("awards"))
    raw_awards = [a for a in raw_awards if a.get("status") not in ("cancelled", "unsuccessful")]
    if not raw_awards:
        tally.skipped["no award yet (a plan or tender only)"] += 1
        return None
    tender = _object(compiled.get("tender"))
    first = raw_awards[0]
    title = (
        clean_text(tender.get("title"), MAX_NAME)
        or clean_text(compiled.get("title"), MAX_NAME)
        or clean_text(first.get("title"), MAX_NAME)
        or clean_text(first.get("description"), MAX_NAME)
    )
    if title is None:
        tally.skipped["no title or description"] += 1
        return None
    description = clean_text(tender.get("description"), MAX_TEXT, multiline=True) or clean_text(
        first.get("description"), MAX_TEXT, multiline=True
    )
    cpv = _cpv(compiled)
    text = " ".join(
        t for t in [title, description or "", *(str(a.get("title") or "") for a in raw_awards)] if t
    )
    areas = technology_areas(cpv, text, rules, words)
    if not areas:
        tally.skipped["not about technology (no CPV code or words for a technology area)"] += 1
        return None
    contracts = _objects(compiled.get("contracts"))
    framework_texts = [
        str(t)
        for t in [
            tender.get("procurementMethodDetails"),
            title,
            description,
            *(r.get("title") for r in _objects(compiled.get("relatedProcesses"))),
        ]
        if isinstance(t, str) and t
    ]
    framework, framework_text = framework_named(framework_texts, rules, words)
    if framework is None and "framework" in str(tender.get("procurementMethodDetails", "")).lower():
        framework_text = clean_text(tender.get("procurementMethodDetails"), MAX_NAME)
    awards: list[ContractAward] = []
    for raw in raw_awards:
        award_id = clean_text(raw.get("id"), _AWARD_ID[1])
        if award_id is None:
            tally.skipped["an award with no identifier"] += 1
            continue
        suppliers: list[AwardParty] = []
        withheld = False
        for ref in _objects(raw.get("suppliers")):
            name, ident = _party(ref, parties)
            if name is None:
                tally.noted["an empty supplier name, set aside"] += 1
                continue
            if any(w in name.lower() for w in words.withheld):
                withheld = True
                continue
            if name.casefold() == title.casefold():
                tally.noted["a supplier name that is the notice's title, set aside"] += 1
                continue
            if all(s.name != name for s in suppliers):
                suppliers.append(_party_model(name, ident))
        if withheld and not suppliers:
            tally.noted["a withheld supplier, award kept without one"] += 1
        if not suppliers and not withheld:
            tally.skipped["an award with no supplier named"] += 1
            continue
        value, currency, amount = _value(raw, contracts, tally)
        period = raw.get("contractPeriod") or tender.get("contractPeriod") or {}
        for contract in contracts:
            if contract.get("awardID") == raw.get("id") and isinstance(
                contract.get("period"), dict
            ):
                period = contract["period"]
        start = (
            _day(period.get("startDate"), rules, today, tally) if isinstance(period, dict) else None
        )
        end = _day(period.get("endDate"), rules, today, tally) if isinstance(period, dict) else None
        if start is not None and end is not None and end < start:
            tally.noted["a contract end before its start, set aside"] += 1
            end = None
        awards.append(
            _award_model(
                id=award_id,
                title=clean_text(raw.get("title"), MAX_NAME),
                description=clean_text(raw.get("description"), MAX_TEXT, multiline=True),
                suppliers=suppliers,
                withheld=withheld and not suppliers,
                value_gbp=value,
                currency=currency,
                amount=amount,
                awarded_on=_day(raw.get("date"), rules, today, tally),
                start=start,
                end=end,
            )
        )
    if not awards:
        return None
    prefix = "-".join(ocid.split("-")[:2])
    return _process_model(
        id=kb_id(ocid),
        ocid=ocid,
        release_id=release_id,
        release_date=when,
        buyer=_party_model(buyer_name, buyer_ident),
        buyer_kind=buyer_kind(buyer_name, rules, words),
        title=title,
        description=description,
        cpv=cpv,
        technology_areas=areas,
        framework=framework,
        framework_text=framework_text,
        notice_url=_notice_url(ocid, release_id, compiled, raw_awards),
        awards=awards,
        source=SOURCES.get(prefix, f"OCDS publisher {prefix} (public contract notices)"),
    )
