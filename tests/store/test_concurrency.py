"""Many writers at once, in threads and in processes, on SQLite and PostgreSQL: every write
lands exactly once or is refused as a conflict and retried; nothing is lost or corrupted.

Run with ``-s`` to see the figures (saves, conflicts, seconds) of each run.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update
from store_workers import Tally, add_answers, add_regions
from store_world import World

from advisor.answers import Answers
from advisor.questionnaire import load_questionnaire
from advisor.services import assessments, kb_revisions
from advisor.store.models import Assessment, KbEntryVersion, KbRevision

pytestmark = pytest.mark.postgres

WRITERS = 4
ROUNDS = 8


@pytest.fixture(scope="module", autouse=True)
def processes() -> Iterator[ProcessPoolExecutor]:
    """Worker processes started once for the module, before any test opens a database (so
    none inherits a connection); each opens its own engine."""
    # fork starts in milliseconds; from 3.12 forking a threaded process warns, so use a server
    method = "fork" if sys.version_info < (3, 12) and sys.platform == "linux" else "forkserver"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["store_workers"])
    pool = ProcessPoolExecutor(max_workers=WRITERS, mp_context=context)
    list(pool.map(Tally, range(WRITERS)))  # start them all now
    yield pool
    pool.shutdown()


@pytest.fixture
def pools(processes: ProcessPoolExecutor) -> Iterator[dict[str, Executor]]:
    with ThreadPoolExecutor(max_workers=WRITERS) as threads:
        yield {"threads": threads, "processes": processes}


def run(
    pool: Executor,
    target: object,
    work: Callable[..., Tally],
    *args_per_writer: tuple[object, ...],
) -> list[Tally]:
    """Start every writer at once; threads share the test's engine, processes open their own."""
    futures = [pool.submit(work, target, *args) for args in args_per_writer]
    return [f.result(timeout=300) for f in futures]


def target(kind: str, world: World, database_url: str) -> object:
    return world.db if kind == "threads" else database_url


def report(label: str, kind: str, url: str, tallies: list[Tally]) -> None:
    saves = sum(t.saves for t in tallies)
    conflicts = sum(t.conflicts for t in tallies)
    seconds = max(t.seconds for t in tallies)
    backend = url.split(":", 1)[0]
    print(
        f"\n{label} [{backend}, {kind}]: {len(tallies)} writers, {saves} saves, "
        f"{conflicts} conflicts retried, {seconds:.2f} s, {saves / seconds:.0f} saves/s"
    )


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_many_writers_on_one_response_lose_nothing(
    world: World, database_url: str, kind: str, pools: dict[str, Executor]
) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Busy", load_questionnaire().version
    )
    uid = world.council_north.user_id
    tallies = run(
        pools[kind],
        target(kind, world, database_url),
        add_answers,
        *[(uid, a.id, w, ROUNDS) for w in range(WRITERS)],
    )
    report("same response", kind, database_url, tallies)
    mine = assessments.get_assessment(world.db, world.council_north, a.id).response_of(uid)
    assert mine is not None
    expected = {f"w{w}_{i}": f"{w}:{i}" for w in range(WRITERS) for i in range(ROUNDS)}
    assert mine.answers.values() == expected  # every save landed, none overwrote another
    assert mine.version == 1 + WRITERS * ROUNDS  # one version per save, no gaps, no repeats
    assert sum(t.saves for t in tallies) == WRITERS * ROUNDS


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_respondents_writing_at_once_never_collide(
    world: World, database_url: str, kind: str, pools: dict[str, Executor]
) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Shared", load_questionnaire().version
    )
    people = [world.council_north.user_id, world.consultant.user_id]
    tallies = run(
        pools[kind],
        target(kind, world, database_url),
        add_answers,
        *[(uid, a.id, w, ROUNDS) for w, uid in enumerate(people)],
    )
    report("two respondents", kind, database_url, tallies)
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    assert sum(t.conflicts for t in tallies) == 0
    for w, uid in enumerate(people):
        response = view.response_of(uid)
        assert response is not None
        assert response.answers.values() == {f"w{w}_{i}": f"{w}:{i}" for i in range(ROUNDS)}


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_many_curators_editing_one_entry_lose_nothing(
    world: World, database_url: str, kind: str, pools: dict[str, Executor]
) -> None:
    uid = world.curator.user_id
    tallies = run(
        pools[kind],
        target(kind, world, database_url),
        add_regions,
        *[(uid, w, ROUNDS) for w in range(WRITERS)],
    )
    report("one knowledge-base entry", kind, database_url, tallies)
    total = WRITERS * ROUNDS
    entry = kb_revisions.get_entry(world.db, "vendors", "acme")
    assert entry.data is not None
    added = [r for r in entry.data["regions"] if r.startswith("r")]
    assert sorted(added) == sorted(f"r{w}_{i}" for w in range(WRITERS) for i in range(ROUNDS))
    assert entry.version == 1 + total
    with world.db.read() as session:
        versions = session.scalars(
            select(KbEntryVersion.version)
            .where(KbEntryVersion.kind == "vendors", KbEntryVersion.entry_id == "acme")
            .order_by(KbEntryVersion.version)
        ).all()
        revisions = session.scalars(select(KbRevision.id).order_by(KbRevision.id)).all()
        approvals = session.scalar(
            select(func.count()).select_from(KbRevision).where(KbRevision.kind == "approval")
        )
    assert versions == list(range(1, total + 2))
    assert revisions == list(range(1, total + 2))  # numbered in commit order, no gaps
    assert approvals == total
    live = kb_revisions.live_knowledge_base(world.db)
    assert live.revision == total + 1
    assert len(live.kb.vendors[0].regions) == 1 + total


def test_a_writer_waits_for_another_instead_of_failing(world: World) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Held", load_questionnaire().version
    )
    holding = threading.Event()

    def hold_the_lock() -> None:
        with world.db.write() as session:
            session.execute(
                update(Assessment).where(Assessment.id == a.id).values(title="Held a while")
            )
            holding.set()
            time.sleep(0.3)  # a long transaction elsewhere

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait()
    answers = Answers(questionnaire_version=load_questionnaire().version)
    saved = assessments.save_draft(world.db, world.council_north, a.id, answers, 1)  # waits
    holder.join()
    assert saved.version == 2
    assert assessments.get_assessment(world.db, world.council_north, a.id).summary.title == (
        "Held a while"
    )
