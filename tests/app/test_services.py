"""The app's own service functions: explorer, what-if, comparison, uploads, theme."""

from __future__ import annotations

import pytest

from advisor.errors import InputError
from advisor.kb.graph import build_graph
from advisor.kb.loader import load_knowledge_base
from advisor.matching import build_index, load_matching_rules, match_profile
from advisor.profile import Profile
from advisor.services.app_support import (
    check_vendor_entry,
    profile_from_upload,
    theme_from_upload,
    vendor_preview,
)
from advisor.services.comparison import Compared, compare
from advisor.services.explorer import dot_quote, explore, search_nodes
from advisor.services.what_if import adjusted_profile, advice_shift

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def index(kb):
    return build_index(kb)


def _profile(**maturity: int) -> Profile:
    return Profile.model_validate(
        {"organisation": {"name": "Test Council", "kind": "unitary"}, "maturity": maturity}
    )


def test_search_ranks_exact_names_first(kb):
    hits = search_nodes(build_graph(kb), "meeco")
    assert hits[0].key == "vendor:meeco"
    assert {h.kind for h in hits} == {"vendor", "offering"}


def test_explore_lists_every_edge_both_ways(kb):
    graph = build_graph(kb)
    view = explore(graph, "vendor:meeco")
    assert {(link.relation, link.other_key) for link in view.links} >= {
        ("offers", "offering:meeco_labs"),
        ("offers", "offering:meeco_consent_platform"),
    }
    area = explore(graph, "area:security")
    assert any(link.relation == "is covered by" for link in area.links)
    assert area.dot.startswith("digraph")


def test_dot_labels_cannot_break_out_of_their_quotes():
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c d"'


def test_what_if_changes_the_advice_and_reports_it(index):
    rules = load_matching_rules()
    base = _profile(personal_identity_data_management=1, security=1)
    before = match_profile(base, index, rules)
    changed = adjusted_profile(base, {"personal_identity_data_management": 5, "security": 5})
    assert changed.maturity.security == 5
    assert base.maturity.security == 1  # the original is untouched
    after = match_profile(changed, index, rules)
    assert advice_shift(before, after)
    assert advice_shift(before, before) == []


def test_what_if_rejects_out_of_range_levels():
    with pytest.raises(InputError) as err:
        adjusted_profile(_profile(), {"security": 9})
    assert err.value.problems[0].field == "security"


def test_compare_lines_up_figures_per_assessment(index):
    rules = load_matching_rules()
    a = match_profile(_profile(security=1), index, rules)
    b = match_profile(_profile(security=4), index, rules)
    result = compare([Compared("Same body", a), Compared("Same body", b)])
    assert result.columns == ["Same body", "Same body (2)"]
    security = next(r for r in result.maturity if r["figure"] == "Security")
    assert (security["Same body"], security["Same body (2)"]) == (1, 4)
    with pytest.raises(InputError):
        compare([Compared("only one", a)])


def test_upload_is_judged_by_content_not_name():
    with pytest.raises(InputError) as err:
        profile_from_upload(PNG, "profile.yaml")
    assert err.value.problems[0].message == "this is not a text file"
    good = profile_from_upload(b"organisation: {name: X, kind: county}\n", "whatever.png")
    assert good.organisation.kind.value == "county"
    with pytest.raises(InputError) as bad:
        profile_from_upload(b"organisation: {name: X, kind: castle}\n", "p.yaml")
    assert bad.value.problems[0].field == "organisation.kind"


def test_theme_logo_checked_by_content():
    theme = theme_from_upload("Advisers Ltd", {"primary": "#112233"}, None, PNG)
    assert theme.logo_mime == "image/png"
    with pytest.raises(InputError) as err:
        theme_from_upload("Advisers Ltd", {}, None, b"GIF89a not allowed")
    assert err.value.problems[0].field == "logo"
    with pytest.raises(InputError) as svg:
        theme_from_upload("A", {}, None, b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    assert "script" in svg.value.problems[0].message
    with pytest.raises(InputError) as colour:
        theme_from_upload("A", {"primary": "red"}, None, PNG)
    assert colour.value.problems[0].field == "colours.primary"


def test_vendor_entry_errors_name_the_field(kb):
    data = kb.vendors[0].model_dump(mode="json", exclude_unset=True)
    data["offerings"][0]["name"] = ""
    with pytest.raises(InputError) as err:
        check_vendor_entry(data["id"], data)
    assert err.value.problems[0].field == "offerings[0].name"


def test_vendor_preview_shows_the_entry_as_matched(kb):
    meeco = next(v for v in kb.vendors if v.id == "meeco")
    renamed = meeco.model_copy(update={"name": "Meeco Renamed"})
    preview = vendor_preview(kb, renamed, load_matching_rules())
    assert preview.item is not None
    assert preview.item.name == "Meeco Renamed"
    assert preview.rank is not None
