"""Render the assessment report's HTML from its context with jinja2.

The environment escapes everything by default (``autoescape=True`` for every template name,
not ``select_autoescape``, which would skip names such as ``*.html.j2``) and fails on any
undefined variable. User and vendor text is only ever data: never part of a template's source,
so ``{{ ... }}`` in an answer prints as itself.
"""

from __future__ import annotations

import hashlib
import marshal
from functools import lru_cache
from importlib import metadata
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from advisor.kb.cache import code_version, load_or_build
from advisor.reporting.assets import Asset, asset_url
from advisor.reporting.charts import maturity_chart_svg
from advisor.reporting.context import AssessmentReport
from advisor.reporting.theme import REPORTS_DIR, Theme

TEMPLATE = "assessment/template.html"
STYLESHEET = REPORTS_DIR / "assessment" / "print.css"
LOGO_ASSET = "logo"

Target = Literal["pdf", "html"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one jinja2 environment for reports, built once per process."""
    return Environment(
        loader=FileSystemLoader(REPORTS_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@lru_cache(maxsize=1)
def report_template() -> Template:
    """The report template, compiled once per content of the template and of this code.

    Compiling it takes longer than rendering a report, so the compiled code is kept in the
    knowledge-base cache (signed, in a folder only this user may write) and read back by
    later processes; a changed template or code version compiles afresh.
    """
    env = environment()
    path = REPORTS_DIR / TEMPLATE
    source, filename = path.read_text(encoding="utf-8"), str(path)
    digest = hashlib.sha256(
        f"{code_version()}\0jinja2={metadata.version('jinja2')}\0{source}".encode()
    ).hexdigest()

    def compiled() -> bytes:
        return marshal.dumps(env.compile(source, TEMPLATE, filename))

    code = marshal.loads(load_or_build("report-template", digest, compiled, bytes))  # noqa: S302  # our own signed compile
    return env.template_class.from_code(env, code, env.make_globals(None))


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def themed_stylesheet(theme: Theme) -> str:
    """The print stylesheet with the theme's colours (each validated as #rrggbb) filled in.

    The sheet names colours as ``var(--primary)`` and so on; they are replaced here rather
    than left to CSS custom properties, which WeasyPrint resolves afresh for every box.
    """
    css = _stylesheet()
    for name, value in theme.colours.model_dump().items():
        css = css.replace(f"var(--{name})", value)
    return css


def report_assets(theme: Theme) -> dict[str, Asset]:
    """The allow-list of assets a PDF render may fetch: the theme's logo, nothing else."""
    return {LOGO_ASSET: Asset(data=theme.logo_bytes, mime=theme.logo_mime)}


def render_html(report: AssessmentReport, theme: Theme, target: Target = "pdf") -> str:
    """The report as one HTML document.

    For ``pdf`` the logo is referenced as an allow-listed asset that only the report's
    fetcher serves; for ``html`` it is inlined so the file stands alone in a browser.
    """
    logo_src = asset_url(LOGO_ASSET) if target == "pdf" else theme.logo_data_uri()
    # Our own stylesheet and theme CSS (hex colours only) are trusted; in a <style> element
    # escaping would break selectors such as '>'.
    css = Markup(themed_stylesheet(theme))  # noqa: S704
    chart = maturity_chart_svg(report.chart, theme.colours.primary, theme.colours.muted)
    return report_template().render(
        r=report.model_dump(mode="json"),
        css=css,
        chart_svg=chart,
        logo_src=logo_src,
        organisation_name=theme.organisation_name,
        target=target,
    )
