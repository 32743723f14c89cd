"""CLI command: ``advisor assess INPUT.yaml [--json]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import guarded
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.recommendation import Recommendation
from advisor.vocabulary import area_name


def _summary(rec: Recommendation, draft_note: str | None) -> str:
    lines = [f"Assessment for {rec.profile.organisation.name}"]
    if draft_note:
        lines.append(draft_note)
    lines.append(f"Overall maturity: {rec.maturity.overall} of 5")
    for area, level in rec.maturity.areas.items():
        name = rec.maturity.level_names.get(area, "")
        lines.append(f"  {area_name(area):38} {level}  {name}")
    if rec.silo_warning:
        lines.append(f"Warning: {rec.silo_warning}")
    sections: list[tuple[str, list[tuple[str, float, list[str], bool]]]] = [
        ("Delivery models", [(i.name, i.score, i.why, i.tie) for i in rec.delivery_models]),
        ("Priority gaps", [(i.name, i.score, i.why, i.tie) for i in rec.gaps]),
        (
            "Barriers",
            [(i.name, i.severity, [m.name for m in i.mitigations], i.tie) for i in rec.barriers],
        ),
        ("Vendors", [(i.name, i.score, i.why, i.tie) for i in rec.vendors]),
        ("Case studies", [(i.name, i.score, i.why, i.tie) for i in rec.case_studies]),
        ("Peers to contact", [(i.name, i.score, i.why, i.tie) for i in rec.peers]),
        (
            "Procurement routes",
            [(i.name, i.score, [i.threshold], i.tie) for i in rec.procurement_routes],
        ),
    ]
    best = rec.delivery_models[0] if rec.delivery_models else None
    for title, items in sections:
        lines.append("")
        lines.append(title)
        if title == "Delivery models" and best is not None:
            lines.append(
                f"  recommended: {best.name}"
                if best.recommended
                else "  none fits clearly yet: settle the barriers first"
            )
        for rank, (name, score, why, tie) in enumerate(items, 1):
            mark = "=" if tie else " "
            lines.append(f" {mark}{rank}. {name}  ({score})")
            lines += [f"      - {w}" for w in why[:4]]
    if rec.near_misses:
        lines.append("")
        lines.append("Near misses")
        for miss in rec.near_misses:
            lines.append(f"   {miss.name}: {'; '.join(miss.why_not)}")
    lines.append("")
    lines.append("Roadmap")
    for stage in rec.roadmap:
        lines.append(f"  {stage.months}: {stage.name}")
        lines += [f"      - {a}" for a in stage.actions]
    if rec.sensitivity is not None:
        lines.append("")
        state = (
            "stable"
            if rec.sensitivity.stable
            else "sensitive to " + ", ".join(rec.sensitivity.changed_by)
        )
        lines.append(f"Top three vendors with weights moved by 10%: {state}")
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
            Path, typer.Option("--kb", help="Knowledge-base folder (default: bundled).")
        ] = BUNDLED_KB_DIR,
        vendors: Annotated[
            int | None, typer.Option("--vendors", min=1, max=50, help="Vendor shortlist length.")
        ] = None,
    ) -> None:
        """Score answers (or read a profile) and print the recommendation."""
        # imported here: matching pulls in scikit-learn, which other commands do not need
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
