"""CLI command: ``advisor assess INPUT.yaml [--json]``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import guarded

if TYPE_CHECKING:
    from advisor.recommendation import RankedItem, Recommendation


def _framework(framework: str) -> str:
    from advisor.kb.graph import FRAMEWORK_NAMES
    from advisor.vocabulary import FrameworkId

    try:
        return FRAMEWORK_NAMES[FrameworkId(framework)]
    except ValueError:
        return framework


def _ranked(title: str, items: Sequence[RankedItem], most: int = 4) -> list[str]:
    """A ranked section: '1. Name  (score)' (a '=' for a near tie), then its reasons."""
    lines = ["", title]
    for rank, item in enumerate(items, 1):
        mark = "=" if item.tie else " "
        lines.append(f" {mark}{rank}. {item.name}  ({item.score:.2f})")
        lines += [f"      - {w}" for w in item.why[:most]]
    return lines


def _vendors(rec: Recommendation, starting: bool) -> list[str]:
    from advisor.explaining import sensitivity_said

    title = (
        "Starting list (vendors to explore while you find out more, not a recommendation)"
        if starting
        else "Vendors"
    )
    lines = ["", title]
    for rank, item in enumerate(rec.vendors, 1):
        mark = "=" if item.tie else " "
        about = ["SME" if item.sme else "large company"]
        if item.frameworks:
            about.append("on " + ", ".join(_framework(f) for f in item.frameworks))
        lines.append(f" {mark}{rank}. {item.name}  ({item.score:.2f}; {'; '.join(about)})")
        lines += [f"      - {w}" for w in item.why[:4]]
    if rec.near_misses:
        lines += ["", "Close, but not on the list"]
        for miss in rec.near_misses:
            lines.append(f"   {miss.name}")
            lines += [f"      - {w}" for w in miss.why_not]
    if rec.sensitivity is not None:
        lines += ["", sensitivity_said(rec.sensitivity.stable, rec.sensitivity.changed_by)]
    return lines


def _barriers(rec: Recommendation) -> list[str]:
    from advisor.explaining import SEVERITY_WORDS

    lines = ["", "Barriers"]
    for rank, item in enumerate(rec.barriers, 1):
        mark = "=" if item.tie else " "
        label = SEVERITY_WORDS.get(item.severity, str(item.severity))
        lines.append(f" {mark}{rank}. {item.name}: {label} ({item.severity} of 4)")
        lines += [f"      - {w}" for w in item.why]
        if item.mitigations:
            lines.append("      Ways past it that have worked elsewhere:")
        for m in item.mitigations:
            lines.append(f"      * {m.name}")
            if m.description:
                lines.append(f"          {m.description}")
            lines += [f"          - {a}" for a in m.actions]
    return lines


def _summary(rec: Recommendation, draft_note: str | None) -> str:
    from advisor.explaining import confidence_note
    from advisor.vocabulary import area_name

    lines = [f"Assessment for {rec.profile.organisation.name}"]
    if draft_note:
        lines.append(draft_note)
    if rec.confidence is not None:
        heading, details = confidence_note(rec.confidence.level, rec.confidence.reasons)
        lines += ["", f"{heading}."]
        lines += [f"  - {d}" for d in details]
    if rec.cautions_said:
        lines += ["", "Before you act"]
        lines += [f"  - {c}" for c in rec.cautions_said]
    if rec.silo_warning:
        lines += ["", f"Warning: {rec.silo_warning}"]
    lines += ["", f"Overall maturity: {rec.maturity.overall} of 5"]
    for area, level in rec.maturity.areas.items():
        name = rec.maturity.level_names.get(area, "")
        lines.append(f"  {area_name(area):38} {level}  {name}")

    lines += ["", "Delivery models"]
    best = rec.delivery_models[0] if rec.delivery_models else None
    if best is not None:
        lines.append(
            f"  recommended: {best.name}"
            if best.recommended
            else "  none fits clearly yet: settle the barriers first"
        )
    for rank, model in enumerate(rec.delivery_models, 1):
        mark = "=" if model.tie else " "
        lines.append(f" {mark}{rank}. {model.name}  (fit {model.score:.0%})")
        lines += [f"      - {w}" for w in model.why]
    lines += _ranked("Priority gaps", rec.gaps)
    lines += _barriers(rec)
    starting = rec.confidence is not None and rec.confidence.starting_list
    lines += _vendors(rec, starting)
    lines += _ranked("Case studies", rec.case_studies)
    lines += _ranked("Peers to contact", rec.peers)
    lines += ["", "Procurement routes"]
    for rank, route in enumerate(rec.procurement_routes, 1):
        mark = "=" if route.tie else " "
        lines.append(f" {mark}{rank}. {route.name}")
        lines.append(f"      When it applies: {route.threshold}")
        lines += [f"      - {w}" for w in route.why]
    lines += ["", "Roadmap"]
    for stage in rec.roadmap:
        lines.append(f"  {stage.months}: {stage.name}")
        lines += [f"      - {a}" for a in stage.actions]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``assess`` to the main app."""

    @app.command("assess")
    @guarded
    def assess(
        input_file: Annotated[
            Path, typer.Argument(metavar="INPUT", help="Answers or a profile (YAML).")
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the Recommendation as JSON.")
        ] = False,
        kb_dir: Annotated[
            Path | None, typer.Option("--kb", help="Knowledge-base folder (default: bundled).")
        ] = None,
        vendors: Annotated[
            int | None, typer.Option("--vendors", min=1, max=50, help="Vendor shortlist length.")
        ] = None,
    ) -> None:
        """Score answers (or read a profile) and print the recommendation."""
        # imported here: matching and its knowledge base are for this command only
        from advisor.pipeline import recommend_file

        result = recommend_file(input_file, kb_dir=kb_dir, shortlist=vendors)
        rec = result.recommendation
        if as_json:
            typer.echo(rec.model_dump_json(indent=2))
            return
        draft = None
        if result.input.is_draft:
            draft = f"Draft: {result.input.completion:.0f}% of the questions answered"
        typer.echo(_summary(rec, draft))
