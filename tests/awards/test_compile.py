"""Compiling a process's releases: the shortcut for releases that need no real merge gives
exactly what ``ocdsmerge`` gives, and ``ocdsmerge`` still compiles the rest."""

from __future__ import annotations

import copy
import importlib.util
import json
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from awards_paths import CONSTRUCTED, NEWER, REAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocdsmerge.util import sorted_releases

from advisor.awards.compile import compiled_release, new_merger, plain_compiled
from advisor.awards.ocds import read_releases

MERGER = new_merger()
BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_awards.py"


def _write_feed(path: Path, releases: int) -> None:
    """The benchmark's synthetic feed (tender and award releases of each process)."""
    spec = importlib.util.spec_from_file_location("bench_awards_feed", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_feed(path, releases)


def _by_process(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        for release in read_releases(path):
            if isinstance(release, dict) and isinstance(release.get("date"), str):
                grouped[str(release.get("ocid"))].append(release)
    return grouped


def _ocdsmerge(releases: list[dict[str, Any]]) -> dict[str, Any]:
    compiled: dict[str, Any] = MERGER.create_compiled_release(copy.deepcopy(releases))
    return compiled


def _check(releases: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The shortcut's answer (none when it defers to ocdsmerge), checked against ocdsmerge."""
    before = copy.deepcopy(releases)
    plain = plain_compiled(sorted_releases(releases))
    assert releases == before  # nothing changed in the releases
    if plain is not None:
        assert plain == _ocdsmerge(releases)
        assert compiled_release(releases, MERGER) == plain
    return plain


def test_the_fixtures_compile_as_ocdsmerge_compiles_them() -> None:
    grouped = _by_process([REAL, CONSTRUCTED, NEWER])
    shortcut = 0
    for releases in grouped.values():
        shortcut += _check(releases) is not None
        assert compiled_release(releases, MERGER) == _ocdsmerge(releases)
    assert shortcut >= 20  # most need no real merge
    camden = grouped["ocds-h6vhtk-0c1a01"]  # tender and award releases, then a newer award
    assert plain_compiled(sorted_releases(camden[:2])) is not None
    assert plain_compiled(sorted_releases(camden)) is None  # the award's value changed


def test_tender_and_award_releases_of_a_feed_compile_as_ocdsmerge_compiles_them(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.json"
    _write_feed(feed, 600)
    grouped = _by_process([feed])
    shortcut = sum(_check(releases) is not None for releases in grouped.values())
    assert len(grouped) == 300
    assert shortcut > 250  # those with an empty value ({}) go to ocdsmerge, which drops it


BASE: dict[str, Any] = {
    "ocid": "ocds-x-1",
    "id": "r1",
    "date": "2025-01-01T00:00:00Z",
    "tag": ["tender"],
    "buyer": {"id": "b1", "name": "Leeds City Council"},
    "parties": [{"id": "b1", "name": "Leeds City Council", "roles": ["buyer"]}],
    "tender": {"title": "Data platform", "items": [{"classification": {"id": "72300000"}}]},
}
AWARD: dict[str, Any] = {
    "ocid": "ocds-x-1",
    "id": "r2",
    "date": "2025-03-01T00:00:00Z",
    "tag": ["award"],
    "buyer": {"id": "b1", "name": "Leeds City Council"},
    "parties": [
        {"id": "b1", "name": "Leeds City Council", "roles": ["buyer"]},
        {"id": "s1", "name": "Supplier Ltd", "roles": ["supplier"]},
    ],
    "awards": [{"id": "a1", "suppliers": [{"id": "s1", "name": "Supplier Ltd"}]}],
}


def _with(release: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(release), **changes}


def test_a_single_release_and_releases_that_agree_need_no_merge() -> None:
    single = _check([BASE])
    assert single is not None
    assert single["tag"] == ["compiled"]
    assert single["id"] == "ocds-x-1-2025-01-01T00:00:00Z"
    both = _check([AWARD, BASE])  # in either order: by date
    assert both is not None
    assert [p["id"] for p in both["parties"]] == ["b1", "s1"]
    assert both["date"] == AWARD["date"]


@pytest.mark.parametrize(
    "releases",
    [
        [_with(BASE, title=None)],  # a null is dropped
        [_with(BASE, awards=[])],  # an empty array is dropped
        [_with(BASE, buyer={})],  # an empty object is dropped
        [_with(BASE, parties=[{"id": "b1", "name": "A"}, {"id": "b1", "roles": ["buyer"]}])],
        [_with(BASE, parties=[{"id": 1, "name": "A"}, {"id": "1", "name": "B"}])],
        [_with(BASE, parties=[{"id": 1.0, "name": "A"}])],
        [BASE, _with(AWARD, tender=BASE["tender"])],  # objects without ids are repeated
        [BASE, _with(AWARD, buyer={"id": "b1", "name": "Leeds CC"})],  # a changed value
        [BASE, _with(AWARD, parties=[{"id": "b1", "name": "Leeds CC"}])],  # a changed party
        [BASE, _with(AWARD, parties=[{"id": 1, "name": "A"}]), _with(BASE, id="r3")],
    ],
)
def test_what_needs_a_real_merge_goes_to_ocdsmerge(releases: list[dict[str, Any]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ocdsmerge warns of objects with the same id
        assert _check(releases) is None
        assert compiled_release(releases, MERGER) == _ocdsmerge(releases)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(-2, 2, allow_nan=False).filter(lambda f: f != int(f)),
    st.sampled_from(["", "a", "b", "1"]),
)
IDS = st.one_of(st.sampled_from(["1", "2", "a"]), st.integers(1, 2), st.just(1.0), st.none())
KEYS = st.sampled_from(["a", "b", "c"])


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    plain = st.dictionaries(KEYS, children, max_size=3)
    with_id = st.builds(lambda d, i: {**d, "id": i}, plain, IDS)
    return st.one_of(plain, with_id)


JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        _objects(children),
        st.lists(_objects(children), max_size=3),
        st.lists(st.one_of(SCALARS, _objects(children)), max_size=3),
    ),
    max_leaves=12,
)
FIELDS = st.dictionaries(st.sampled_from(["buyer", "parties", "tender", "awards", "title"]), JSON)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(FIELDS, min_size=1, max_size=3),
    st.lists(st.sampled_from(["2025-01-01", "2025-02-01", "2025-03-01"]), min_size=3, max_size=3),
    st.data(),
)
def test_the_shortcut_never_differs_from_ocdsmerge(
    fields: list[dict[str, Any]], dates: list[str], data: st.DataObject
) -> None:
    releases = [
        {"ocid": "ocds-x-1", "id": f"r{n}", "date": dates[n], "tag": ["award"], **f}
        for n, f in enumerate(fields)
    ]
    if len(releases) > 1 and data.draw(st.booleans()):  # a later release repeating an earlier
        releases.append({**copy.deepcopy(releases[0]), "id": "r9", "date": "2025-04-01"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = _ocdsmerge(releases)
        except Exception:  # ocdsmerge refuses some mixes of types
            assert plain_compiled(sorted_releases(releases)) is None
            return
        plain = plain_compiled(sorted_releases(releases))
    if plain is not None:
        assert json.dumps(plain, sort_keys=True) == json.dumps(expected, sort_keys=True)
        assert plain == expected
