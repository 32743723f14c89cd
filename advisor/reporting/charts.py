"""The maturity chart as inline SVG, drawn on the server from the context's plain data.

Every piece of text is escaped here and every number is formatted by this module, so the
returned markup is safe to place in the page as it is. The chart's text alternative is the
data table the template prints beside it (and the SVG's own <title> and <desc>).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from advisor.reporting.context import MaturityChart

_ROW = 30
_LABEL_WIDTH = 230
_BAR_AREA = 380
_TOP = 26


def _colour(value: str) -> str:
    # Colours come from a validated theme, but never trust a value inside an attribute.
    if (
        len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    ):
        return value
    return "#1d4e89"


def maturity_chart_svg(
    chart: MaturityChart, colour: str = "#1d4e89", muted: str = "#5f6b7a"
) -> Markup:
    """An accessible horizontal bar chart of maturity per area, as safe SVG markup."""
    bar_colour, text_colour = _colour(colour), _colour(muted)
    height = _TOP + _ROW * len(chart.bars) + 24
    width = _LABEL_WIDTH + _BAR_AREA + 60
    step = _BAR_AREA / chart.max_level
    description = "; ".join(f"{b.name}: level {b.level} ({b.level_name})" for b in chart.bars)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(chart.caption)}</title>',
        # an f-string, not '<desc>' + escape(...): adding a str to Markup escapes the str
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for level in range(chart.max_level + 1):
        x = _LABEL_WIDTH + level * step
        parts.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{height - 22}" '
            f'stroke="#d5dae1" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{_TOP - 10}" font-size="10" text-anchor="middle" '
            f'fill="{text_colour}">{level}</text>'
        )
    for index, bar in enumerate(chart.bars):
        y = _TOP + index * _ROW
        bar_width = max(0, min(bar.level, chart.max_level)) * step
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 18}" font-size="11" text-anchor="end" '
            f'fill="#1f2933">{escape(bar.name)}</text>'
        )
        parts.append(
            f'<rect x="{_LABEL_WIDTH}" y="{y + 5}" width="{bar_width:.1f}" height="18" '
            f'rx="2" fill="{bar_colour}"/>'
        )
        parts.append(
            f'<text x="{_LABEL_WIDTH + bar_width + 6:.1f}" y="{y + 18}" font-size="10" '
            f'fill="{text_colour}">{bar.level} {escape(bar.level_name)}</text>'
        )
    overall_x = _LABEL_WIDTH + max(0.0, min(chart.overall, chart.max_level)) * step
    parts.append(
        f'<line x1="{overall_x:.1f}" y1="{_TOP - 4}" x2="{overall_x:.1f}" y2="{height - 22}" '
        f'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{overall_x:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" '
        f'fill="#c0392b">overall {chart.overall:.1f}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (all text escaped above; numbers formatted here)
