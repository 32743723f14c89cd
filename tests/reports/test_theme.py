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


def test_missing_logo_file(tmp_path: Path) -> None:
    path = write_theme(tmp_path, "organisation_name: X\nlogo: nowhere.png\n", logo=None)
    with pytest.raises(InputError, match="file not found"):
        load_theme(path)
