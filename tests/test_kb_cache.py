"""The on-disk cache of what a knowledge-base folder gives: reused, invalidated by any change,
and never trusted when it is corrupt, foreign or in a folder others may write."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from advisor.kb import cache
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.pipeline import Matcher, _matcher

PERSONAS = Path(__file__).parent / "personas"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


class Counter:
    def __init__(self) -> None:
        self.builds = 0

    def __call__(self) -> dict[str, int]:
        self.builds += 1
        return {"built": self.builds}


def _kb_copy(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB_DIR, kb)
    return kb


def test_a_second_load_reads_what_the_first_built(cache_folder: Path) -> None:
    build = Counter()
    first = cache.load_or_build("thing", "d1", build, dict)
    second = cache.load_or_build("thing", "d1", build, dict)
    assert first == second == {"built": 1}
    assert build.builds == 1
    assert (cache_folder.stat().st_mode & 0o777) == 0o700
    assert ((cache_folder / cache.KEY_FILE).stat().st_mode & 0o777) == 0o600


def test_a_changed_file_changes_the_digest_and_the_old_entry_goes(
    tmp_path: Path, cache_folder: Path
) -> None:
    kb = _kb_copy(tmp_path)
    before = cache.folder_digest(kb)
    assert cache.folder_digest(kb) == before
    build = Counter()
    cache.load_or_build("kb", before, build, dict)
    vendor_file = next((kb / "vendors").glob("*.yaml"))
    vendor_file.write_text(vendor_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = cache.folder_digest(kb)
    assert after != before
    assert cache.load_or_build("kb", after, build, dict) == {"built": 2}
    assert [p.name for p in cache_folder.glob("kb-*.pickle")] == [f"kb-{after}.pickle"]


def test_a_corrupt_cache_file_is_built_again_and_replaced(cache_folder: Path) -> None:
    build = Counter()
    cache.load_or_build("thing", "d1", build, dict)
    path = cache_folder / "thing-d1.pickle"
    path.write_bytes(path.read_bytes()[:-7])  # truncated
    assert cache.load_or_build("thing", "d1", build, dict) == {"built": 2}
    assert cache.load_or_build("thing", "d1", build, dict) == {"built": 2}
    assert build.builds == 2


class Planted:
    """A pickle that would leave a mark if it were ever unpickled."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.mark),))


def test_a_file_we_did_not_sign_is_never_unpickled(tmp_path: Path, cache_folder: Path) -> None:
    build = Counter()
    cache.load_or_build("thing", "d1", build, dict)  # makes the folder and its key
    mark = tmp_path / "unpickled"
    payload = pickle.dumps(Planted(mark))
    (cache_folder / "thing-d1.pickle").write_bytes(b"\0" * cache.MAC_BYTES + payload)
    assert cache.load_or_build("thing", "d1", build, dict) == {"built": 2}
    assert not mark.exists()


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, cache_folder: Path) -> None:
    cache_folder.mkdir(mode=0o700)
    cache_folder.chmod(0o777)
    build = Counter()
    cache.load_or_build("thing", "d1", build, dict)
    cache.load_or_build("thing", "d1", build, dict)
    assert build.builds == 2
    assert list(cache_folder.iterdir()) == []


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    assert cache.cache_dir() is None
    build = Counter()
    cache.load_or_build("thing", "d1", build, dict)
    cache.load_or_build("thing", "d1", build, dict)
    assert build.builds == 2


def test_a_cached_knowledge_base_gives_the_same_advice(tmp_path: Path, cache_folder: Path) -> None:
    from advisor.assessment_input import load_assessment_input
    from advisor.matching import match_profile

    kb = _kb_copy(tmp_path).resolve()
    built = _matcher.__wrapped__(kb)
    assert len(list(cache_folder.glob("matcher-*.pickle"))) == 1
    read = _matcher.__wrapped__(kb)
    assert isinstance(read, Matcher)
    assert read is not built
    persona = PERSONAS / "kirklees_grant.yaml"
    recs = []
    for m in (built, read):
        given = load_assessment_input(persona, m.rule_files.questionnaire, m.rule_files.scoring)
        recs.append(match_profile(given.profile, m.index, m.rules).model_dump(mode="json"))
    assert recs[0] == recs[1]


def test_the_folder_keeps_the_most_recently_used_files_within_its_limits(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_FILES", 3)
    for n in range(3):
        cache.load_or_build(f"kb{n}", "d", Counter(), dict)
        os.utime(cache_folder / f"kb{n}-d.pickle", (1000 + n, 1000 + n))
    reused = Counter()
    cache.load_or_build("kb0", "d", reused, dict)  # read back: now the most recently used
    assert reused.builds == 0
    cache.load_or_build("kb3", "d", Counter(), dict)  # one too many: the oldest unused goes
    assert sorted(p.name for p in cache_folder.glob("*.pickle")) == [
        "kb0-d.pickle",
        "kb2-d.pickle",
        "kb3-d.pickle",
    ]
    monkeypatch.setattr(cache, "MAX_BYTES", 1)  # a file over the size limit is still kept
    cache.load_or_build("kb4", "d", Counter(), dict)  # when it is the one just written
    assert [p.name for p in cache_folder.glob("*.pickle")] == ["kb4-d.pickle"]
