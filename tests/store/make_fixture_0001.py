"""Make ``fixtures/store_0001.sqlite``: a store at migration 0001 with data in every table.

The upgrade tests load it and migrate it to the newest schema; every row must survive.
Run from the repository root when the fixture has to be made again:

    .venv/bin/python tests/store/make_fixture_0001.py
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from store_world import FAST_HASHING, KB_SMALL, PASSWORD

from advisor.services import accounts, kb_revisions, organisations
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store import migrate
from advisor.store.database import Database
from advisor.store.models import Assessment, ReportExport

FIXTURE = Path(__file__).parent / "fixtures" / "store_0001.sqlite"
WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def make(path: Path) -> None:
    """Write the fixture database to ``path``."""
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    db = Database(url)
    settings = Settings(database_url=url, **FAST_HASHING)  # type: ignore[arg-type]
    migrate.upgrade(db, "0001")
    kb_revisions.import_knowledge_base(db, OPERATOR, KB_SMALL, "seed at 0001")
    organisations.create_organisation(
        db, OPERATOR, "north_council", "North Council", "unitary", "North East"
    )
    organisations.create_organisation(db, OPERATOR, "south_council", "South Council", "district")
    organisations.create_organisation(db, OPERATOR, "acme", "Acme Data", "vendor")
    lead = accounts.create_user(
        db,
        OPERATOR,
        settings,
        email="lead@north.gov.uk",
        role="council",
        password=PASSWORD,
        organisations=["north_council"],
    )
    south = accounts.create_user(
        db,
        OPERATOR,
        settings,
        email="lead@south.gov.uk",
        role="council",
        password=PASSWORD,
        organisations=["south_council"],
    )
    vendor = accounts.create_user(
        db,
        OPERATOR,
        settings,
        email="sales@acme.example",
        role="vendor",
        password=PASSWORD,
        organisations=["acme"],
    )
    curator = accounts.create_user(
        db, OPERATOR, settings, email="curator@example.org", role="curator", password=PASSWORD
    )
    accounts.sign_in(db, settings, "lead@north.gov.uk", PASSWORD)
    entry = kb_revisions.get_entry(db, "vendors", "acme")
    assert entry.data is not None
    proposal = kb_revisions.propose_change(
        db,
        accounts.principal_for(db, vendor.id),
        "vendors",
        "acme",
        {**entry.data, "description": "Data hubs for councils."},
        entry.version,
        "clearer",
    )
    kb_revisions.approve_proposal(db, accounts.principal_for(db, curator.id), proposal.id)
    with db.write() as session:
        rows = [
            Assessment(
                organisation_id="north_council",
                title="North draft",
                status="draft",
                questionnaire_version="1.0",
                author_id=lead.id,
                created_at=WHEN,
                updated_at=WHEN,
                version=3,
                answers={
                    "questionnaire_version": "1.0",
                    "answers": {
                        "org_name": {"value": "North Council", "note": "from 0001"},
                        "org_population": {"value": 120000},
                    },
                },
            ),
            Assessment(
                organisation_id="north_council",
                title="North 2025",
                status="submitted",
                questionnaire_version="1.0",
                author_id=lead.id,
                created_at=WHEN,
                updated_at=WHEN,
                submitted_at=WHEN,
                version=5,
                answers={
                    "questionnaire_version": "1.0",
                    "answers": {"org_name": {"value": "North Council"}},
                },
                profile={"organisation": {"name": "North Council", "kind": "unitary"}},
            ),
            Assessment(
                organisation_id="south_council",
                title="South draft",
                status="draft",
                questionnaire_version="1.0",
                author_id=south.id,
                created_at=WHEN,
                updated_at=WHEN,
                version=1,
                answers=None,
            ),
        ]
        session.add_all(rows)
        session.flush()
        session.add(
            ReportExport(
                assessment_id=rows[1].id,
                user_id=lead.id,
                format="pdf",
                filename="north.pdf",
                sha256="0" * 64,
                size_bytes=2048,
                created_at=WHEN,
            )
        )
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    make(FIXTURE)
    print(f"wrote {FIXTURE}")
