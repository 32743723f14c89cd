"""Hostile vendor or user text prints as itself, and nothing is fetched but the report's logo."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from report_samples import REPORT_DATE, sample_answers, sample_recommendation

from advisor.kb.models import KnowledgeBase
from advisor.reporting.context import build_context
from advisor.reporting.fetcher import Asset, AssetFetcher, RefusedURLError, asset_url
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.pdf import render_pdf
from advisor.reporting.theme import Theme

PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<script>alert(1)</script>",
    "<style>body{background:url(http://169.254.169.254/latest/meta-data/)}</style>",
    'x" style="background:url(file:///etc/passwd)',
    "http://169.254.169.254/latest/meta-data/",
    "{{ 7*7 }}",
    "{% raw %}",
]
HOSTILE = " ".join(PAYLOADS)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="module")
def hostile_html() -> str:
    from advisor.reporting.theme import default_theme

    report = build_context(
        sample_recommendation(HOSTILE),
        KnowledgeBase(),
        sample_answers(HOSTILE),
        assessed_by=HOSTILE,
        report_date=REPORT_DATE,
    )
    return render_html(report, default_theme(), "pdf")


def test_html_escapes_every_payload(hostile_html: str) -> None:
    for raw in ('<img src="file:', "<link rel=", "<script>", "<style>body", 'x" style='):
        assert raw not in hostile_html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in hostile_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html
    assert "{{ 7*7 }}" in hostile_html  # data, never template source
    assert "{% raw %}" in hostile_html
    assert ">49<" not in hostile_html


def test_pdf_prints_payloads_as_text_and_fetches_only_the_logo(
    hostile_html: str, theme: Theme
) -> None:
    fetcher = AssetFetcher(report_assets(theme))
    pdf = render_pdf(hostile_html, report_assets(theme), fetcher)
    assert fetcher.requested == [asset_url("logo")]
    assert fetcher.refused == []
    text = " ".join(pdf_text(pdf).split())
    for visible in (
        "file:///etc/passwd",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "http://169.254.169.254/latest/meta-data/",
        'rel="attachment"',
    ):
        assert visible in text
    assert b"root:x:0:0" not in pdf
    assert b"/EmbeddedFile" not in pdf


def test_raw_hostile_markup_is_refused_by_the_fetcher(theme: Theme) -> None:
    # Belt and braces: even markup that bypassed escaping cannot reach a file or the network.
    html = (
        '<html lang="en"><head><title>t</title>'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">'
        "<style>@import url(https://example.com/x.css); "
        "body { background: url(file:///etc/passwd) }"
        "@font-face { font-family: x; src: url(http://169.254.169.254/font.ttf) }</style>"
        '</head><body><img src="file:///etc/passwd"><img src="data:image/png;base64,AAAA">'
        '<img src="report-asset:../../etc/passwd"><object data="file:///etc/shadow"></object>'
        '<img src="report-asset:logo"><p style="font-family: x">text</p></body></html>'
    )
    fetcher = AssetFetcher(report_assets(theme))
    pdf = render_pdf(html, {}, fetcher)
    served = [u for u in fetcher.requested if u not in fetcher.refused]
    assert served == [asset_url("logo")]
    assert "file:///etc/passwd" in fetcher.refused
    assert any(u.startswith("http://169.254.169.254") for u in fetcher.refused)
    assert b"root:x:0:0" not in pdf
    assert b"/EmbeddedFile" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "data:text/plain,hello",
        "ftp://example.com/x",
        "report-asset:missing",
    ],
)
def test_fetcher_refuses_anything_outside_the_allow_list(url: str) -> None:
    fetcher = AssetFetcher({"logo": Asset(b"<svg/>", "image/svg+xml")})
    with pytest.raises(RefusedURLError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_an_allowed_asset_from_memory() -> None:
    fetcher = AssetFetcher({"logo": Asset(b"<svg/>", "image/svg+xml")})
    response = fetcher.fetch(asset_url("logo"))
    assert response.read() == b"<svg/>"
    assert response.content_type == "image/svg+xml"


def test_fetcher_never_opens_through_urllib() -> None:
    with pytest.raises(RefusedURLError):
        AssetFetcher().open("file:///etc/passwd")
