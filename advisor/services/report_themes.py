"""A consultant's report theme, kept with the account so it outlasts the browser session.

- ``saved_theme(db, actor)``: the theme the account keeps, or None.
- ``save_theme(db, actor, theme)``: keep this theme (replacing any earlier one).
- ``forget_theme(db, actor)``: go back to the default theme.

Only the account itself reads or changes its theme (``Action.report_theme_keep``); the theme
arrives here already validated (``advisor.services.app_support.theme_from_upload``) and is
checked again when it is read back, so a row edited by hand cannot reach a report unchecked.
Themes go with their account (the row is deleted with the user).
"""

from __future__ import annotations

from pydantic import ValidationError

from advisor.errors import InputError
from advisor.reporting.theme import Colours, Theme, logo_mime_type, svg_problem
from advisor.services import audit
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import ReportTheme, utcnow

_WHERE = "report theme"


def _user_id(actor: Principal) -> int:
    require(actor, Action.report_theme_keep)  # refuses an actor without an account
    return actor.user_id or 0


def saved_theme(db: Database, actor: Principal) -> Theme | None:
    """The account's kept theme, checked again as it is read, or None."""
    user_id = _user_id(actor)
    with db.read() as session:
        row = session.get(ReportTheme, user_id)
        if row is None:
            return None
        try:
            colours = Colours.model_validate(row.colours)
        except ValidationError:
            raise InputError.single(_WHERE, "colours", "the kept colours are not valid") from None
        mime = logo_mime_type(row.logo)
        problem = svg_problem(row.logo) if mime == "image/svg+xml" else None
        if mime is None or mime != row.logo_mime or problem:
            raise InputError.single(_WHERE, "logo", problem or "the kept logo is not an image")
        return Theme(
            organisation_name=row.organisation_name,
            colours=colours,
            website=row.website,
            logo_bytes=row.logo,
            logo_mime=row.logo_mime,
        )


def save_theme(db: Database, actor: Principal, theme: Theme) -> None:
    """Keep ``theme`` for the account, replacing the one kept before."""
    user_id = _user_id(actor)
    with db.write() as session:
        row = session.get(ReportTheme, user_id)
        if row is None:
            row = ReportTheme(user_id=user_id)
            session.add(row)
        row.organisation_name = theme.organisation_name
        row.colours = theme.colours.model_dump()
        row.website = theme.website
        row.logo = theme.logo_bytes
        row.logo_mime = theme.logo_mime
        row.updated_at = utcnow()
        audit.record(
            session,
            actor,
            "report_theme.save",
            target_kind="report_theme",
            target_id=user_id,
            detail={"organisation_name": theme.organisation_name},
        )


def forget_theme(db: Database, actor: Principal) -> bool:
    """Drop the account's kept theme; True when there was one."""
    user_id = _user_id(actor)
    with db.write() as session:
        row = session.get(ReportTheme, user_id)
        if row is None:
            return False
        session.delete(row)
        audit.record(
            session, actor, "report_theme.forget", target_kind="report_theme", target_id=user_id
        )
        return True
