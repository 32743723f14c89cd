"""Everyone opening the same results shares one match; who may see them is still checked."""

from __future__ import annotations

import pytest
from harness import persona_assessment

from advisor.services.accounts import sign_in
from advisor.services.app_support import recommendation_for
from advisor.services.errors import PermissionDenied
from advisor.services.kb_revisions import live_revision


def test_the_same_version_is_matched_once_and_still_guarded(store, settings, accounts):
    from advisor.app.resources import knowledge

    aid = persona_assessment(store, settings, accounts["lead"], "kirklees_grant", "K", submit=True)
    other = persona_assessment(store, settings, accounts["lead"], "greenwich_asc", "G", submit=True)
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    colleague = sign_in(
        store, settings, accounts["colleague"].email, accounts["colleague"].password
    )
    consultant = sign_in(
        store, settings, accounts["consultant"].email, accounts["consultant"].password
    )
    know = knowledge(live_revision(store))

    first = know.assessed(store, lead, aid)
    again = know.assessed(store, colleague, aid)
    # one match serves both readers, and it is the match a fresh one would give
    assert again.recommendation is first.recommendation
    fresh = recommendation_for(
        store,
        lead,
        aid,
        know.index,
        know.matching,
        know.revision,
        know.questionnaire,
        market=know.market,
    )
    assert first.recommendation.model_dump() == fresh.recommendation.model_dump()
    assert first.answer_rows == fresh.answer_rows
    # another assessment gets its own
    assert know.assessed(store, lead, other).recommendation is not first.recommendation
    # a reader outside the body is refused, remembered match or not
    with pytest.raises(PermissionDenied):
        know.assessed(store, consultant, aid)


def test_the_memo_keeps_the_latest_matches_and_matches_again_after_a_day():
    from datetime import date
    from types import SimpleNamespace

    from advisor.services.app_support import AssessedView, MatchMemo

    made: list[tuple[int, int]] = []

    def matcher(view):
        def match():
            made.append((view.id, view.version))
            return AssessedView(view, SimpleNamespace(of=view.id), [])

        return match

    memo = MatchMemo(size=2)
    day = date(2026, 12, 2)
    first, second, third = (SimpleNamespace(id=n, version=1) for n in (1, 2, 3))
    for view in (first, second, first, third):  # the third pushes out the least recent: 2
        memo.assessed(view, day, matcher(view))
    memo.assessed(first, day, matcher(first))
    memo.assessed(second, day, matcher(second))
    newer = SimpleNamespace(id=1, version=2)
    memo.assessed(newer, day, matcher(newer))
    memo.assessed(third, date(2026, 12, 3), matcher(third))
    assert made == [(1, 1), (2, 1), (3, 1), (2, 1), (1, 2), (3, 1)]
