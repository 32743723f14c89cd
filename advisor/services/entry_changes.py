"""What a proposed change to a knowledge-base entry changes, as people read it.

A proposal keeps the entry as proposed and the version it was based on; this compares the two
field by field and says each change with the field's name and the values by their names
("Frameworks: from G-Cloud to G-Cloud and Crown Hosting"), never as YAML keys or ids.
Offerings are matched by their id and named by their name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.services.kb_revisions import ProposalView, entry_history
from advisor.store.database import Database
from advisor.vocabulary import ORG_KIND_NAMES, OrgKind
from advisor.wording import join_words, upper_first

FIELD_NAMES = {
    "name": "name",
    "title": "title",
    "description": "description",
    "sme": "small or medium-sized enterprise",
    "headquarters": "headquarters",
    "regions": "regions served",
    "frameworks": "frameworks",
    "framework": "framework",
    "website": "website",
    "offerings": "offerings",
    "technology_areas": "technology areas",
    "delivery_models": "delivery models",
    "barriers_addressed": "barriers it helps with",
    "barriers": "barriers",
    "barrier": "barrier",
    "layers": "layers",
    "price_min_gbp": "price from",
    "price_max_gbp": "price up to",
    "price_unit": "price unit",
    "features": "features",
    "source": "source",
    "last_reviewed": "last reviewed",
    "kind": "kind",
    "region": "region",
}
"""Field names as the forms show them (a field not listed reads as its words)."""

NAMED_BY = {
    "frameworks": "framework",
    "framework": "framework",
    "technology_areas": "area",
    "delivery_models": "model",
    "barriers_addressed": "barrier",
    "barriers": "barrier",
    "barrier": "barrier",
    "layers": "layer",
}
"""Fields whose values are knowledge-base ids, with the kind of entry that names them."""

NameOf = Callable[[str, str], str]
"""The name of an entry from its kind and id (the knowledge graph's label)."""


@dataclass(frozen=True)
class Change:
    """One field that changed: its name, and the value before and after ('' when none)."""

    field: str
    before: str
    after: str


def _field(key: str) -> str:
    return FIELD_NAMES.get(key, key.replace("_", " "))


def _value(key: str, value: Any, name_of: NameOf) -> str:
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith("_gbp") and isinstance(value, int | float):
        return f"£{value:,.0f}"
    if isinstance(value, list):
        return join_words([_value(key, v, name_of) for v in value])
    if isinstance(value, dict):
        return "; ".join(
            f"{_field(k)}: {_value(k, v, name_of)}" for k, v in value.items() if k != "id"
        )
    if key == "kind" and value in ORG_KIND_NAMES:
        return ORG_KIND_NAMES[OrgKind(value)]
    if key in NAMED_BY:
        return name_of(NAMED_BY[key], str(value))
    return str(value)


def _by_id(items: Sequence[Any]) -> dict[str, Mapping[str, Any]]:
    return {str(i.get("id")): i for i in items if isinstance(i, Mapping)}


def entry_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], name_of: NameOf
) -> list[Change]:
    """Every field that differs between two versions of an entry, in the form's words."""
    before = before or {}
    out: list[Change] = []
    for key in dict.fromkeys([*before, *after]):
        if key == "id":
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "offerings":
            out += _offering_changes(old or [], new or [], name_of)
            continue
        out.append(
            Change(upper_first(_field(key)), _value(key, old, name_of), _value(key, new, name_of))
        )
    return out


def _offering_changes(before: Sequence[Any], after: Sequence[Any], name_of: NameOf) -> list[Change]:
    old, new = _by_id(before), _by_id(after)
    out: list[Change] = []
    for ref in dict.fromkeys([*old, *new]):
        was, now = old.get(ref), new.get(ref)
        name = str((now or was or {}).get("name", "unnamed"))
        if was is None:
            out.append(Change(f"New offering '{name}'", "", _value("offering", now, name_of)))
        elif now is None:
            out.append(Change(f"Offering '{name}' removed", _value("offering", was, name_of), ""))
        else:
            for change in entry_changes(was, now, name_of):
                out.append(
                    Change(
                        f"Offering '{name}': {change.field.lower()}", change.before, change.after
                    )
                )
    return out


def proposal_changes(db: Database, proposal: ProposalView, name_of: NameOf) -> list[Change]:
    """What a proposal changes in the version of the entry it was based on."""
    based_on = next(
        (
            v.data
            for v in entry_history(db, proposal.kind, proposal.entry_id)
            if v.version == proposal.base_version
        ),
        None,
    )
    return entry_changes(based_on, proposal.data, name_of)
