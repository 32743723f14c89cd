"""Theme files: validated, logo checked by content, URLs refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.reporting.html import themed_stylesheet
from advisor.reporting.theme import DEFAULT_THEME_PATH, load_theme, svg_problem

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="5" height="5"/></svg>'
)


def write_theme(
    tmp_path: Path, body: str, logo: bytes | None = PNG, name: str = "logo.png"
) -> Path:
    if logo is not None:
        (tmp_path / name).write_bytes(logo)
    path = tmp_path / "theme.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def problem_fields(exc: InputError) -> list[str]:
    return [p.field for p in exc.problems]


def test_bundled_theme_loads() -> None:
    theme = load_theme(DEFAULT_THEME_PATH)
    assert theme.logo_mime == "image/svg+xml"
    assert theme.colours.primary == "#1d4e89"


def test_consultant_theme_with_png_logo(tmp_path: Path) -> None:
    path = write_theme(
        tmp_path,
        "organisation_name: Northgate Advisory\nlogo: logo.png\n"
        "colours: {primary: '#003366'}\nwebsite: https://northgate.example.com/\n",
    )
    theme = load_theme(path)
    assert theme.organisation_name == "Northgate Advisory"
    assert theme.logo_mime == "image/png"
    assert theme.colours.primary == "#003366"
    assert theme.logo_data_uri().startswith("data:image/png;base64,")
    css = themed_stylesheet(theme)
    assert "var(" not in css
    assert "color: #003366" in css
    assert "#1d4e89" not in css  # the default primary colour is gone everywhere


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("organisation_name: X\nlogo: logo.png\ncolours: {primary: red}\n", "colours.primary"),
        ("organisation_name: X\nlogo: logo.png\ncolours: {accent: '#12345'}\n", "colours.accent"),
        ("organisation_name: X\nlogo: logo.png\nfont: Comic\n", "font"),
        ("organisation_name: X\nlogo: file:///etc/passwd\n", "logo"),
        ("organisation_name: X\nlogo: https://example.com/logo.png\n", "logo"),
        ("organisation_name: X\nlogo: data:image/png;base64,AAAA\n", "logo"),
        ("organisation_name: X\nlogo: logo.png\nwebsite: http://example.com/\n", "website"),
        ("organisation_name: X\nlogo: logo.png\nwebsite: file:///etc/passwd\n", "website"),
        (
            "organisation_name: X\nlogo: logo.png\nwebsite: https://169.254.169.254/latest/\n",
            "website",
        ),
        (
            "organisation_name: X\nlogo: logo.png\nwebsite: https://user:pw@example.com/\n",
            "website",
        ),
        ("logo: logo.png\n", "organisation_name"),
    ],
)
def test_bad_theme_fields_are_named(tmp_path: Path, body: str, field: str) -> None:
    path = write_theme(tmp_path, body)
    with pytest.raises(InputError) as caught:
        load_theme(path)
    assert field in problem_fields(caught.value)
    assert str(path) in str(caught.value)


def test_colour_error_gives_the_line(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "organisation_name: X\nlogo: logo.png\ncolours:\n  text: blue\n")
    with pytest.raises(InputError) as caught:
        load_theme(path)
    assert caught.value.problems[0].line == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a....", "PNG, JPEG or SVG"),
        (b"just text", "PNG, JPEG or SVG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "<script>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="file:///etc/passwd"/></svg>',
            "<image>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://169.254.169.254/)"/>'
            b"</svg>",
            "url()",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url("file:///x")}</style>'
            b"</svg>",
            "url()",
        ),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "DOCTYPE"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "event"),
    ],
)
def test_logo_is_checked_by_content(tmp_path: Path, content: bytes, message: str) -> None:
    path = write_theme(
        tmp_path, "organisation_name: X\nlogo: logo.svg\n", logo=content, name="logo.svg"
    )
    with pytest.raises(InputError) as caught:
        load_theme(path)
    assert problem_fields(caught.value) == ["logo"]
    assert message in str(caught.value)


def test_svg_with_internal_references_is_fine() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use x:href="#g"/></svg>'
    )
    assert svg_problem(svg) is None
    assert svg_problem(GOOD_SVG) is None


SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'


def use_bomb(levels: int, copies: int) -> bytes:
    """Each level draws ``copies`` of the level below: copies**levels shapes in all."""
    defs = b'<defs><rect id="l0" width="1" height="1"/>'
    for level in range(1, levels + 1):
        uses = b"".join(b'<use href="#l%d"/>' % (level - 1) for _ in range(copies))
        defs += b'<g id="l%d">%s</g>' % (level, uses)
    return SVG_HEAD + defs + b'</defs><use href="#l%d"/></svg>' % levels


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # CSS escapes spell url( and @import past a check of the raw text
        (
            SVG_HEAD + b"<style>rect{fill:u\\72l(http://evil.example/x)}</style></svg>",
            "CSS escapes",
        ),
        (SVG_HEAD + b'<style>@\\69mport "http://evil.example/x.css";</style></svg>', "CSS escapes"),
        (SVG_HEAD + b'<rect style="fill:u\\72l(http://evil.example/x)"/></svg>', "CSS escapes"),
        (SVG_HEAD + b'<rect fill="u\\72l(http://evil.example/x)"/></svg>', "CSS escapes"),
        (SVG_HEAD + b'<style>@import "x.css";</style></svg>', "at-rules"),
        (SVG_HEAD + b"<style>rect{}<title/>@import 'x.css';</style></svg>", "at-rules"),
        (SVG_HEAD + b"<rect style=\"fill:image-set('x.png' 1x)\"/></svg>", "url()"),
        (
            b'<?xml version="1.0"?><?xml-stylesheet href="http://evil.example/x.css"?>'
            + SVG_HEAD
            + b"</svg>",
            "processing instructions",
        ),
        # an allow-list of elements, not a deny-list
        (SVG_HEAD + b'<filter><feImage href="#a"/></filter></svg>', "<filter>"),
        (
            SVG_HEAD + b'<animate attributeName="href" to="http://evil.example/"/></svg>',
            "<animate>",
        ),
        # <use> bounded
        (use_bomb(8, 10), "more than 5000 elements"),
        (use_bomb(6, 2), "nest more than 4 deep"),
        (SVG_HEAD + b'<g id="a"><use x:href="#a"/></g></svg>', "loop"),
    ],
)
def test_logo_bypasses_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = write_theme(
        tmp_path, "organisation_name: X\nlogo: logo.svg\n", logo=content, name="logo.svg"
    )
    with pytest.raises(InputError) as caught:
        load_theme(path)
    assert problem_fields(caught.value) == ["logo"]
    assert message in str(caught.value)


def test_ordinary_logos_with_styles_and_reuse_pass() -> None:
    svg = (
        SVG_HEAD + b"<style>.a{fill:url(#g);stroke:#1d4e89}</style>"
        b'<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        b'<symbol id="s"><circle r="2" style="fill: #2a7f62; opacity: .5"/></symbol></defs>'
        b'<use href="#s"/><use x:href="#s" x="4"/><text class="a">Advisor</text></svg>'
    )
    assert svg_problem(svg) is None
    assert svg_problem(use_bomb(3, 10)) is None  # 1,000 shapes, 3 deep: a big but fair logo
    assert (
        svg_problem(DEFAULT_THEME_PATH.parent.joinpath("../assets/logo.svg").read_bytes()) is None
    )


def test_missing_logo_file(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "organisation_name: X\nlogo: nowhere.png\n", logo=None)
    with pytest.raises(InputError, match="file not found"):
        load_theme(path)
