"""A consultant's report theme, kept with the account so it outlasts the browser session.

- ``saved_theme(db, actor)``: the theme the account keeps, or None.
- ``save_theme(db, actor, theme)``: keep this theme (replacing any earlier one).
- ``forget_theme(db, actor)``: go back to the default theme.

Only the account itself reads or changes its theme (``Action.report_theme_keep``). A theme
arrives here already validated by ``advisor.services.app_support.theme_from_upload`` and goes
through the same function when it is read back, so a row edited by hand cannot reach a
report unchecked.
Themes go with their account (the row is deleted with the user).
"""

from __future__ import annotations

from advisor.reporting.theme import Theme
from advisor.services import audit
from advisor.services.app_support import theme_from_upload
from advisor.services.errors import PermissionDenied
from advisor.services.permissions import Action, Principal, refusal_message, require
from advisor.store.database import Database
from advisor.store.models import ReportTheme, utcnow


def _user_id(actor: Principal) -> int:
    require(actor, Action.report_theme_keep)
    if actor.user_id is None:  # refused by require already; this tells the type checker
        raise PermissionDenied(refusal_message(actor, Action.report_theme_keep))
    return actor.user_id


def saved_theme(db: Database, actor: Principal) -> Theme | None:
    """The account's kept theme, checked again as it is read (as a fresh upload is), or None."""
    user_id = _user_id(actor)
    with db.read() as session:
        row = session.get(ReportTheme, user_id)
        if row is None:
            return None
        return theme_from_upload(row.organisation_name, row.colours, row.website, row.logo)


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
        row.logo = theme.logo_bytes  # its type is judged from its content when read back
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
