"""The report template is compiled once and read back from the cache by later processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.kb import cache
from advisor.reporting import html


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A cache folder of this test's own, the in-process copy forgotten; compiles counted."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    html.report_template.cache_clear()
    env = html.environment()
    compiled: list[str] = []
    real = env.compile

    def counting(source: str, name: str | None = None, filename: str | None = None) -> object:
        compiled.append(str(name))
        return real(source, name, filename)

    monkeypatch.setattr(env, "compile", counting)
    yield compiled
    html.report_template.cache_clear()


def test_a_second_process_reads_the_compiled_template_back(fresh: list[str]) -> None:
    first = html.report_template()
    assert fresh == [html.TEMPLATE]
    html.report_template.cache_clear()  # as a new process would start
    second = html.report_template()
    assert fresh == [html.TEMPLATE]  # not compiled again
    assert second is not first
    page = {"target": "html", "css": "", "chart_svg": "", "logo_src": "", "organisation_name": ""}
    with pytest.raises(Exception, match="'r' is undefined"):
        second.render(**page)  # the same strict template: every variable must be given


def test_a_spoilt_cache_file_means_compiling_again(fresh: list[str], tmp_path: Path) -> None:
    html.report_template()
    (stored,) = (tmp_path / "cache").glob("report-template-*.pickle")
    stored.write_bytes(b"not ours")
    html.report_template.cache_clear()
    html.report_template()
    assert fresh == [html.TEMPLATE, html.TEMPLATE]
