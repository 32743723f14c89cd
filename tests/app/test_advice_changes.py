"""Told when advice changes: after an approved knowledge-base change alters a submitted
assessment's advice, its owner sees what changed on Results and can refresh the report."""

from __future__ import annotations

from harness import persona_assessment, signed_in

from advisor.services.accounts import sign_in
from advisor.services.assessments import list_assessments
from advisor.services.kb_revisions import approve_proposal, get_entry, propose_change

NOTICE = "The advice has changed since you last looked"


def _text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_owner_sees_what_changed_and_refreshes(store, settings, accounts):
    aid = persona_assessment(store, settings, accounts["lead"], "legal_blocked", "R", submit=True)
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    [done] = list_assessments(store, lead)
    assert done.advice_revision == 1
    at = signed_in(accounts["lead"])
    at.switch_page("app_pages/results.py").run()
    assert NOTICE not in _text(at)  # nothing changed yet
    curator = sign_in(store, settings, accounts["curator"].email, accounts["curator"].password)
    entry = get_entry(store, "vendors", "meeco")
    assert entry.data is not None
    data = {**entry.data, "name": "Meeco Public Services"}
    proposal = propose_change(store, curator, "vendors", "meeco", data, entry.version)
    approve_proposal(store, curator, proposal.id)
    at.run()
    assert not at.exception
    assert NOTICE in _text(at)
    assert "Meeco Public Services" in _text(at)
    at.button(key="results_refresh").click().run()
    assert not at.exception
    assert NOTICE not in _text(at)
    [done] = list_assessments(store, lead)
    assert done.id == aid
    assert done.advice_revision == 2
