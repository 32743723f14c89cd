"""Report themes for consultants: organisation name, colours and a logo, all validated.

A theme is a small YAML file (``reports/themes/default.yaml`` is the model). The logo is a
file next to the theme, checked by its content (PNG, JPEG or a self-contained SVG) and only
ever served to WeasyPrint through the report's own asset fetcher.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator

from advisor.base import StrictModel
from advisor.errors import InputError, Problem
from advisor.reporting.links import https_url_problem
from advisor.yamlio import read_bytes_capped, read_yaml

REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"
DEFAULT_THEME_PATH = REPORTS_DIR / "themes" / "default.yaml"
MAX_LOGO_BYTES = 512 * 1024

HexColour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
"""A colour as #rrggbb."""

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# The elements a logo may use: shapes, text, grouping, reuse and paint. Anything else (script,
# foreignObject, image, a, filters, animation, unknown names) is refused.
_ALLOWED_SVG_TAGS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textpath",
        "lineargradient", "radialgradient", "stop", "clippath", "mask", "pattern", "marker",
        "style",
    }
)  # fmt: skip
_LINK_ATTRIBUTES = {"href", _XLINK_HREF, "src"}
# CSS (a <style> element, a style= attribute or a presentation attribute) may load nothing:
# url() only to a fragment of the same file, no other function that takes an address, no
# at-rule (@import, @font-face) and no backslash at all, so no CSS escape (u\72l(, @\69mport)
# can spell any of these past the check.
_CSS_LOADS = re.compile(
    r"url\(\s*+['\"]?+\s*+(?!#)|\b(?:src|image|image-set|cross-fade|element)\s*\(",
    re.IGNORECASE,
)
_PROCESSING_INSTRUCTION = re.compile(rb"<\?(?!xml\s)", re.IGNORECASE)
# Bounds on <use>: how deep references may nest and how many elements the picture may hold
# once every reference is expanded (a nest of 8 levels of 10 copies draws 10^8 shapes).
MAX_SVG_USE_DEPTH = 4
MAX_SVG_RENDERED_ELEMENTS = 5_000


def _local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _css_problem(css: str) -> str | None:
    if "\\" in css:
        return "SVG styles must not use CSS escapes (backslashes)"
    if "@" in css:
        return "SVG styles must not use @import or other at-rules"
    if _CSS_LOADS.search(css):
        return "SVG styles must not load anything with url()"
    return None


class _UseLoopError(Exception):
    """A <use> that (through others) refers to itself."""


def _use_problem(root: ET.Element) -> str | None:
    """Refuse reference cycles, deep <use> nesting and pictures that expand too far."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    sizes: dict[int, tuple[int, int]] = {}  # id(element) -> (rendered elements, use depth)
    visiting: set[int] = set()

    def measure(element: ET.Element) -> tuple[int, int]:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise _UseLoopError
        visiting.add(key)
        count, depth = 1, 0
        if _local_name(element.tag) == "use":
            target = by_id.get((element.get("href") or element.get(_XLINK_HREF) or "")[1:])
            if target is not None:
                inner_count, inner_depth = measure(target)
                count, depth = count + inner_count, inner_depth + 1
        for child in element:
            inner_count, inner_depth = measure(child)
            count, depth = count + inner_count, max(depth, inner_depth)
            if count > MAX_SVG_RENDERED_ELEMENTS:
                break
        visiting.discard(key)
        sizes[key] = (min(count, MAX_SVG_RENDERED_ELEMENTS + 1), depth)
        return sizes[key]

    try:
        count, depth = measure(root)
    except _UseLoopError:
        return "SVG <use> references must not loop"
    except RecursionError:
        return "SVG elements must not nest this deep"
    if depth > MAX_SVG_USE_DEPTH:
        return f"SVG <use> references must not nest more than {MAX_SVG_USE_DEPTH} deep"
    if count > MAX_SVG_RENDERED_ELEMENTS:
        return f"SVG must not draw more than {MAX_SVG_RENDERED_ELEMENTS} elements"
    return None


class Colours(StrictModel):
    """The theme's palette; every value is #rrggbb."""

    primary: HexColour = "#1d4e89"
    """Headings, the cover band and chart bars."""
    accent: HexColour = "#2a7f62"
    """Highlights: the recommended model, the next level."""
    text: HexColour = "#1f2933"
    """Body text."""
    muted: HexColour = "#5f6b7a"
    """Captions, running headers and footers."""


class ThemeFile(StrictModel):
    """The theme file as written by a consultant."""

    organisation_name: Annotated[str, Field(min_length=1, max_length=120)]
    """Who prepared the report; printed on the cover and in the footer."""
    logo: Annotated[str, Field(min_length=1, max_length=300)]
    """Path of a PNG, JPEG or SVG file, relative to the theme file. URLs are refused."""
    colours: Colours = Field(default_factory=Colours)
    website: str | None = None
    """Optional https address printed on the cover."""

    @field_validator("logo")
    @classmethod
    def _logo_is_a_path(cls, value: str) -> str:
        if _SCHEME.match(value) and not re.match(r"^[A-Za-z]:[\\/]", value):
            raise ValueError("must be a file path next to the theme file, not a URL")
        return value

    @field_validator("website")
    @classmethod
    def _website_is_https(cls, value: str | None) -> str | None:
        if value is not None and (problem := https_url_problem(value)):
            raise ValueError(problem)
        return value


@dataclass(frozen=True)
class Theme:
    """A validated theme with its logo read into memory."""

    organisation_name: str
    colours: Colours
    website: str | None
    logo_bytes: bytes
    logo_mime: str

    def logo_data_uri(self) -> str:
        """The logo inlined as a data: URI, for the self-contained HTML output."""
        return f"data:{self.logo_mime};base64,{base64.b64encode(self.logo_bytes).decode()}"


def logo_mime_type(data: bytes) -> str | None:
    """The logo's MIME type judged by its content, or None when it is not an accepted image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG logo is refused, or None when it is self-contained, script-free and bounded.

    An allow-list check: only the elements above, no event attributes, links only to
    fragments of the file itself, CSS that can load nothing, and <use> bounded."""
    text = data.decode("utf-8", errors="replace")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return "SVG must not declare a DOCTYPE or entities"
    if _PROCESSING_INSTRUCTION.search(data):
        return "SVG must not carry processing instructions (such as xml-stylesheet)"
    try:
        root = ET.fromstring(data)  # noqa: S314  (DOCTYPE and entities refused above)
    except ET.ParseError as exc:
        return f"SVG is not well-formed XML ({exc})"
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        return "SVG root element must be <svg>"
    for element in root.iter():
        tag = _local_name(element.tag)
        if tag not in _ALLOWED_SVG_TAGS:
            return f"SVG must not contain <{tag or 'unknown'}> elements"
        if tag == "style" and (problem := _css_problem("".join(element.itertext()))):
            return problem
        for name, value in element.attrib.items():
            if _local_name(name).startswith("on"):
                return f"SVG must not carry event attributes ({name})"
            if name in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
                return "SVG must not link to other files or addresses"
            if problem := _css_problem(value):
                return problem.replace("SVG styles", "SVG attributes")
    return _use_problem(root)


def _read_logo(theme_path: Path, logo: str) -> tuple[bytes, str]:
    where = str(theme_path)
    path = (theme_path.parent / logo).resolve()
    if not path.exists():
        raise InputError.single(where, "logo", f"file not found: {logo}")
    data = read_bytes_capped(path, MAX_LOGO_BYTES, where=where, field="logo")
    mime = logo_mime_type(data)
    if mime is None:
        raise InputError.single(where, "logo", "must be a PNG, JPEG or SVG image (by content)")
    if mime == "image/svg+xml" and (problem := svg_problem(data)):
        raise InputError.single(where, "logo", problem)
    return data, mime


def load_theme(path: Path | str | None = None) -> Theme:
    """Read and validate a theme file; the bundled default when ``path`` is None."""
    theme_path = Path(path) if path is not None else DEFAULT_THEME_PATH
    doc = read_yaml(theme_path)
    if not isinstance(doc.data, dict):
        raise InputError.single(str(theme_path), "(file)", "a theme must be a YAML mapping")
    try:
        spec = ThemeFile.model_validate(doc.data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            loc = tuple(error["loc"])
            problems.append(
                Problem(
                    file=str(theme_path),
                    line=doc.line_of(loc),
                    field=".".join(str(part) for part in loc),
                    message=error["msg"].removeprefix("Value error, "),
                )
            )
        raise InputError(problems) from None
    logo_bytes, logo_mime = _read_logo(theme_path, spec.logo)
    return Theme(
        organisation_name=spec.organisation_name,
        colours=spec.colours,
        website=spec.website,
        logo_bytes=logo_bytes,
        logo_mime=logo_mime,
    )


@lru_cache(maxsize=1)
def default_theme() -> Theme:
    """The bundled theme, read once per process."""
    return load_theme(None)
