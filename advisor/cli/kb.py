"""CLI commands: ``advisor kb ...`` (validate, schema, stats, graph export, synth)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import EXIT_FAILURE, guarded
from advisor.kb import BUNDLED_KB_DIR

# Each command imports what it uses when it runs: the knowledge base's models, graph and
# generator are not needed to start the CLI for any other command.

kb_app = typer.Typer(help="Work with the knowledge base.", no_args_is_help=True)

KbDir = Annotated[
    Path,
    typer.Argument(help="Knowledge-base folder (default: the bundled one).", show_default=False),
]


class GraphFormat(StrEnum):
    graphml = "graphml"
    json = "json"


@kb_app.command("validate")
@guarded
def validate(directory: KbDir = BUNDLED_KB_DIR) -> None:
    """Check every file, the rule files and the folder itself: exit 0, or 1 with one
    'file:line: field: message' per problem."""
    from advisor.kb.validation import validate_folder

    problems = validate_folder(directory)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        raise typer.Exit(EXIT_FAILURE)
    typer.echo(f"{directory}: knowledge base is valid")


@kb_app.command("schema")
@guarded
def schema() -> None:
    """Print the JSON Schema of every knowledge-base file kind."""
    from advisor.kb.schema import knowledge_base_schema

    typer.echo(json.dumps(knowledge_base_schema(), indent=2))


@kb_app.command("stats")
@guarded
def stats(
    directory: KbDir = BUNDLED_KB_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts per kind, orphans and stale entries."""
    from advisor.kb.graph import build_graph
    from advisor.kb.health import knowledge_base_health
    from advisor.kb.loader import load_knowledge_base

    kb = load_knowledge_base(directory)
    health = knowledge_base_health(kb, build_graph(kb), date.today())
    if as_json:
        typer.echo(health.model_dump_json(indent=2))
        return
    for kind, n in health.counts.items():
        typer.echo(f"{kind:20} {n:>7}")
    typer.echo(f"{'graph nodes':20} {health.graph_nodes:>7}")
    typer.echo(f"{'graph edges':20} {health.graph_edges:>7}")
    typer.echo(f"vendors without a case study: {health.vendors_without_case_study}")
    for kind, ids in health.orphans.items():
        typer.echo(f"orphan {kind}: {', '.join(ids)}")
    for s in health.stale:
        typer.echo(f"stale {s.kind} {s.id}: {s.reason}")


@kb_app.command("graph")
@guarded
def graph(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File to write, or - for standard output.")
    ],
    fmt: Annotated[GraphFormat, typer.Option("--format", help="graphml or json")] = (
        GraphFormat.graphml
    ),
    kb_dir: Annotated[Path, typer.Option("--kb", help="Knowledge-base folder.")] = BUNDLED_KB_DIR,
) -> None:
    """Export the knowledge graph (GraphML for Gephi, or node-link JSON)."""
    from advisor.kb.graph import build_graph, graph_bytes
    from advisor.kb.loader import load_knowledge_base
    from advisor.yamlio import STDOUT, check_output_path, write_bytes_atomic

    if str(output) != STDOUT:
        check_output_path(output)  # before the work, not after it
    g = build_graph(load_knowledge_base(kb_dir))
    data = graph_bytes(g, "graphml" if fmt is GraphFormat.graphml else "json")
    if str(output) == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_bytes_atomic(output, data)
    typer.echo(f"wrote {output} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@kb_app.command("synth")
@guarded
def synth(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write.")],
    vendors: Annotated[int, typer.Option(min=1, max=100_000)] = 5000,
    offerings: Annotated[int, typer.Option(min=1, max=1_000_000)] = 40000,
    case_studies: Annotated[int, typer.Option("--case-studies", min=0, max=100_000)] = 1000,
    seed: Annotated[int, typer.Option()] = 1,
) -> None:
    """Write a valid, realistic-looking synthetic knowledge base of any size."""
    from advisor.kb.synth import SynthSize, write_synthetic_knowledge_base

    size = SynthSize(vendors=vendors, offerings=offerings, case_studies=case_studies)
    written = write_synthetic_knowledge_base(output, size, seed=seed)
    typer.echo(f"wrote {written} files to {output}")


def register(app: typer.Typer) -> None:
    """Add the ``kb`` group to the main app."""
    app.add_typer(kb_app, name="kb")
