"""What every command shares: turning errors into messages and exit codes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click
import typer

from advisor.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_FAILURE) -> typer.Exit:
    """Print a message to stderr and return the Exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command: InputError -> exit 2 with its problems; other errors -> exit 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            raise fail(str(exc), EXIT_BAD_INPUT) from None
        except (
            typer.Exit,
            typer.TyperException,
            click.exceptions.Exit,
            click.ClickException,
            KeyboardInterrupt,
        ):
            raise
        except Exception as exc:  # the last line of defence: a message, never a traceback
            raise fail(f"error: {type(exc).__name__}: {exc}", EXIT_FAILURE) from None

    return wrapper


def run_guarded(app: typer.Typer) -> int:
    """Run the Typer app in standalone=False mode and map the outcome to an exit code.

    Typer raises its own copies of Click's exceptions (a usage error such as an unknown option
    or a value out of range is a ``typer.TyperException``), and code may raise Click's: both
    are shown as Click shows them, naming the option, with exit code 2.
    """
    try:
        result = app(standalone_mode=False)
    except (click.exceptions.Exit, typer.Exit) as exc:
        return int(exc.exit_code)
    except (click.exceptions.Abort, typer.Abort):
        typer.echo("aborted", err=True)
        return EXIT_FAILURE
    except (click.ClickException, typer.TyperException) as exc:
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_BAD_INPUT
    except InputError as exc:
        typer.echo(str(exc), err=True)
        return EXIT_BAD_INPUT
    except Exception as exc:
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_FAILURE
    return int(result) if isinstance(result, int) else EXIT_OK
