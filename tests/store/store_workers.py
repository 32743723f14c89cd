"""Writers for the concurrency tests: each runs in a thread or in a process of its own, opens
its own view of the store and retries on conflict the way a user would (reload, reapply)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from advisor.answers import Answers
from advisor.services import assessments, kb_revisions
from advisor.services.accounts import principal_for
from advisor.services.errors import ConflictError
from advisor.store.database import Database


@dataclass
class Tally:
    saves: int = 0
    conflicts: int = 0
    seconds: float = 0.0


def add_answers(
    db_or_url: Database | str, user_id: int, assessment_id: int, writer: int, rounds: int
) -> Tally:
    """Add ``rounds`` answers of its own to the user's response, one save each."""
    db = Database(db_or_url) if isinstance(db_or_url, str) else db_or_url
    actor = principal_for(db, user_id)
    tally = Tally()
    start = time.perf_counter()
    for i in range(rounds):
        while True:
            mine = assessments.get_assessment(db, actor, assessment_id).response_of(user_id)
            seen = mine.version if mine is not None else 0
            data = mine.answers.model_dump(mode="json", exclude_none=True) if mine else {}
            data.setdefault("questionnaire_version", "1.0")
            data.setdefault("answers", {})[f"w{writer}_{i}"] = {"value": f"{writer}:{i}"}
            try:
                assessments.save_draft(db, actor, assessment_id, Answers.model_validate(data), seen)
            except ConflictError:
                tally.conflicts += 1
                continue
            tally.saves += 1
            break
    tally.seconds = time.perf_counter() - start
    if isinstance(db_or_url, str):
        db.dispose()
    return tally


def add_regions(db_or_url: Database | str, curator_id: int, writer: int, rounds: int) -> Tally:
    """Append ``rounds`` regions to vendor ``acme``, each a proposal approved at once."""
    db = Database(db_or_url) if isinstance(db_or_url, str) else db_or_url
    curator = principal_for(db, curator_id)
    tally = Tally()
    start = time.perf_counter()
    for i in range(rounds):
        while True:
            entry = kb_revisions.get_entry(db, "vendors", "acme")
            assert entry.data is not None
            data = {**entry.data, "regions": [*entry.data.get("regions", []), f"r{writer}_{i}"]}
            try:
                p = kb_revisions.propose_change(
                    db, curator, "vendors", "acme", data, entry.version, f"{writer}:{i}"
                )
                kb_revisions.approve_proposal(db, curator, p.id)
            except ConflictError:
                tally.conflicts += 1
                continue
            tally.saves += 1
            break
    tally.seconds = time.perf_counter() - start
    if isinstance(db_or_url, str):
        db.dispose()
    return tally
