"""CLI command: ``advisor serve`` starts the Streamlit app on the store and knowledge base.

Before starting it brings the store up to date and seeds an empty one from the bundled
knowledge base (or ``ADVISOR_KB_DIR``). With no curator account yet it prints a one-time
set-up code that the app's first page asks for to create the first curator (valid until used
or this server stops), or creates the curator with ``--create-curator EMAIL`` and prints a
one-time password.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import guarded
from advisor.errors import InputError

APP_DIR = Path(__file__).resolve().parents[1] / "app"
ENTRYPOINT = APP_DIR / "web_server.py"
LOCAL_HOSTS = ("localhost", "127.0.0.1")
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::"})  # noqa: S104  (named only to be excluded)


def streamlit_command(port: int, host: str, allowed_hosts: list[str]) -> list[str]:
    """The ``streamlit run`` command line (settings beyond these come from config.toml)."""
    hosts = list(
        dict.fromkeys(
            [*LOCAL_HOSTS, *([host] if host not in WILDCARD_ADDRESSES else []), *allowed_hosts]
        )
    )
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRYPOINT),
        "--server.port",
        str(port),
        "--server.address",
        host,
        *[arg for name in hosts for arg in ("--server.allowedHosts", name)],
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


@guarded
def serve(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8501,
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "localhost",
    allowed_host: Annotated[
        list[str] | None,
        typer.Option("--allowed-host", help="Host name browsers use to reach the app (repeat)."),
    ] = None,
    create_curator: Annotated[
        str | None,
        typer.Option(
            "--create-curator",
            metavar="EMAIL",
            help="With no curator yet: create one and print a one-time password.",
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Add sample organisations and one account per role.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Prepare the store, print the status, do not start.")
    ] = False,
) -> None:
    """Start the web app (Streamlit) on the embedded store with the bundled knowledge base."""
    from advisor.app.first_run import (
        create_demo_accounts,
        create_first_curator,
        prepare_store,
    )
    from advisor.services.app_support import open_store
    from advisor.services.setup_code import discard_setup_code, issue_setup_code
    from advisor.settings import load_settings

    settings = load_settings()
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = open_store(settings)
    status = prepare_store(db, settings)
    where = db.sqlite_path() or "the configured database"
    typer.echo(
        f"store: {where}; knowledge base revision {status.revision}"
        + (" (seeded now)" if status.seeded else "")
    )
    if create_curator is not None:
        if status.has_curator:
            raise InputError.single(
                "(command line)",
                "--create-curator",
                "a curator account exists already; sign in with it",
            )
        account = create_first_curator(db, settings, create_curator)
        typer.echo(f"curator created: {account.email}")
        typer.echo(
            f"one-time password (shown once, change it after signing in): {account.password}"
        )
    if demo:
        for account in create_demo_accounts(db, settings):
            typer.echo(f"demo {account.role.value}: {account.email} / {account.password}")
    if status.has_curator or create_curator is not None or demo:
        discard_setup_code(settings.data_dir)
    elif check:
        typer.echo("No account exists yet: 'advisor serve' prints a set-up code to create one.")
    else:
        code = issue_setup_code(settings.data_dir)  # this process becomes the server
        typer.echo(
            "No account exists yet. Open the app in your browser and create the first "
            f"curator account with this one-time set-up code:\n\n    {code}\n\n"
            "It works once, and only while this server runs."
        )
    db.dispose()
    if check:
        return
    env = {**os.environ, "ADVISOR_DATA_DIR": str(settings.data_dir.resolve())}
    typer.echo(f"starting the app on http://{host}:{port} (stop with Ctrl+C)")
    # Streamlit replaces this process, so a stop signal (Ctrl+C, a service manager's
    # SIGTERM) reaches the server itself and leaves nothing behind. It runs from the app
    # folder so that it reads the shipped .streamlit/config.toml there.
    command = streamlit_command(port, host, allowed_host or [])
    sys.stdout.flush()
    os.chdir(APP_DIR)
    os.execve(command[0], command, env)  # noqa: S606  (our own interpreter and arguments)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the main app."""
    app.command("serve")(serve)
