"""Who may do what: the one place that decides every role x action.

A ``Principal`` is the acting user (``advisor.services.accounts.sign_in`` or
``principal_for`` give one; the command line acts as ``OPERATOR``, the person holding the
database, with a curator's rights). Every service function calls ``require`` before it
touches anything, so a refused action raises the same ``PermissionDenied`` with the same
message whether it came from the app or the CLI. ``allowed`` answers the same question
without raising (for a UI that hides what it cannot offer).

The rules:

- council: assessments and reports of the one body it acts for; that body's data export;
  sees and ends (or gives) a consultant's access to that body.
- consultant: assessments and reports of the bodies a curator or the body's lead made it
  consultant of; proposes a new client body (a curator approves it); keeps its own report
  theme.
- vendor: proposes changes to its own vendor entry only; sees its own proposals.
- curator: reviews proposals, imports and exports the knowledge base, manages accounts,
  registers bodies and links them to the knowledge base, approves proposed clients and
  decides who consults for a body, reads the audit log, exports and erases a body's data,
  purges old drafts. A curator does not read or edit assessments.
- everyone signed in reads the live knowledge base (no check needed) and changes their own
  password.
- an assessment's owner (the account that started it) alone submits it and reopens it;
  invited respondents answer their sections and hand them back (``require_owner``).

A principal that ``advisor.services.accounts`` gave out carries its store, and every
``require`` and ``allowed`` checks it against the store again before deciding: an account
switched off, removed, or given another role since the principal was built is refused at its
next service call (``PermissionDenied`` saying so), and an organisation taken away from it
no longer counts. The command line's ``OPERATOR`` and principals built by hand carry no
store and are taken as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.services.errors import PermissionDenied
from advisor.store.models import Membership, User
from advisor.vocabulary import Role

if TYPE_CHECKING:
    from advisor.store.database import Database


class Action(StrEnum):
    assessment_view = "assessment.view"
    assessment_create = "assessment.create"
    assessment_edit = "assessment.edit"
    assessment_submit = "assessment.submit"
    report_export = "report.export"
    kb_propose = "kb.propose"
    kb_proposals_view = "kb.proposals.view"
    kb_review = "kb.review"
    kb_import = "kb.import"
    kb_export = "kb.export"
    organisation_create = "organisation.create"
    organisation_link = "organisation.link"
    client_propose = "client.propose"
    client_proposals_review = "client.proposals.review"
    consultant_access_manage = "consultant_access.manage"
    password_change = "password.change"  # noqa: S105  (an action's name, not a password)
    users_manage = "users.manage"
    audit_view = "audit.view"
    body_data_export = "body_data.export"
    body_data_erase = "body_data.erase"
    drafts_purge = "drafts.purge"
    report_theme_keep = "report_theme.keep"


PHRASES: dict[Action, str] = {
    Action.assessment_view: "view assessments",
    Action.assessment_create: "start assessments",
    Action.assessment_edit: "edit assessments",
    Action.assessment_submit: "submit assessments",
    Action.report_export: "export reports",
    Action.kb_propose: "propose knowledge-base changes",
    Action.kb_proposals_view: "view knowledge-base proposals",
    Action.kb_review: "review knowledge-base proposals",
    Action.kb_import: "import a knowledge base",
    Action.kb_export: "export the knowledge base",
    Action.organisation_create: "register organisations",
    Action.organisation_link: "link a body to the knowledge base",
    Action.client_propose: "propose a new client",
    Action.client_proposals_review: "approve proposed clients",
    Action.consultant_access_manage: "decide who consults for a body",
    Action.password_change: "change their own password",
    Action.users_manage: "manage user accounts",
    Action.audit_view: "read the audit log",
    Action.body_data_export: "export a body's data",
    Action.body_data_erase: "erase a body's data",
    Action.drafts_purge: "purge abandoned drafts",
    Action.report_theme_keep: "keep a report theme",
}
"""How each action reads in a refusal."""


@dataclass(frozen=True)
class Principal:
    """The acting user: role and the organisations they act for."""

    user_id: int | None
    email: str
    role: Role
    organisations: frozenset[str] = frozenset()
    """Body ids (council, consultant) or the vendor id (vendor) the user acts for."""
    store: Database | None = field(default=None, compare=False, hash=False, repr=False)
    """The store the account lives in; set, every check rereads the account from it."""

    @property
    def label(self) -> str:
        """How the user is named in the audit log and in refusals."""
        return self.email


OPERATOR = Principal(user_id=None, email="operator (command line)", role=Role.curator)
"""The command line: whoever can reach the database file acts with a curator's rights."""

_CURATOR_ONLY = frozenset(
    {
        Action.kb_review,
        Action.kb_import,
        Action.kb_export,
        Action.users_manage,
        Action.audit_view,
        Action.body_data_erase,
        Action.drafts_purge,
        Action.organisation_create,
        Action.organisation_link,
        Action.client_proposals_review,
    }
)
_ASSESSMENT_WORK = frozenset(
    {
        Action.assessment_view,
        Action.assessment_create,
        Action.assessment_edit,
        Action.assessment_submit,
        Action.report_export,
    }
)


class StalePrincipal(PermissionDenied):
    """The account changed in the store since its principal was built: sign in again."""


def current(principal: Principal) -> Principal:
    """The principal as the store has it now; ``StalePrincipal`` if it may no longer act.

    An account that is gone, switched off or has another role is refused; organisations
    taken away since are dropped (ones added later need a fresh principal).
    """
    db = principal.store
    if db is None or principal.user_id is None:
        return principal
    session = db.current_session()
    if session is not None:
        with session.no_autoflush:
            return _reread(session, principal)
    with db.read() as fresh:
        return _reread(fresh, principal)


def _reread(session: Session, principal: Principal) -> Principal:
    row = session.execute(
        select(User.active, User.role).where(User.id == principal.user_id)
    ).one_or_none()
    who = principal.label
    if row is None or not row.active:
        raise StalePrincipal(
            f"not allowed: the account {who} has been switched off; ask a curator to restore it"
        )
    if row.role != principal.role.value:
        raise StalePrincipal(
            f"not allowed: the account {who} is now a {row.role}, no longer a "
            f"{principal.role.value}; sign in again"
        )
    if not principal.organisations:
        return principal
    now = set(
        session.scalars(
            select(Membership.organisation_id).where(Membership.user_id == principal.user_id)
        )
    )
    if principal.organisations <= now:
        return principal
    return replace(principal, organisations=principal.organisations & frozenset(now))


def allowed(principal: Principal, action: Action, on: str | None = None) -> bool:
    """Whether ``principal`` may do ``action`` on organisation ``on`` (a body or vendor id)."""
    try:
        principal = current(principal)
    except StalePrincipal:
        return False
    return _allowed(principal, action, on)


def _allowed(principal: Principal, action: Action, on: str | None = None) -> bool:
    role = principal.role
    own = on is not None and on in principal.organisations
    if action in _CURATOR_ONLY:
        return role is Role.curator
    if action in _ASSESSMENT_WORK:
        return role in (Role.council, Role.consultant) and own
    if action in (Action.kb_propose, Action.kb_proposals_view):
        return role is Role.curator or (role is Role.vendor and own)
    if action is Action.client_propose:
        return role is Role.consultant and principal.user_id is not None
    if action is Action.consultant_access_manage:
        return role is Role.curator or (role is Role.council and own)
    if action is Action.password_change:  # one's own password: needs an account
        return principal.user_id is not None
    if action is Action.body_data_export:
        return role is Role.curator or (role is Role.council and own)
    if action is Action.report_theme_keep:  # one's own theme: no organisation involved
        return role is Role.consultant and principal.user_id is not None
    return False


def refusal_message(principal: Principal, action: Action, on: str | None = None) -> str:
    """The one wording of a refusal."""
    target = f" for {on}" if on else ""
    return (
        f"not allowed: {principal.role.value} {principal.label} may not {PHRASES[action]}{target}"
    )


def require(principal: Principal, action: Action, on: str | None = None) -> None:
    """Return if allowed; otherwise raise ``PermissionDenied`` with the one wording.

    A principal whose account was switched off or changed role since it was built raises
    ``StalePrincipal`` (a ``PermissionDenied``) saying so.
    """
    principal = current(principal)
    if not _allowed(principal, action, on):
        raise PermissionDenied(refusal_message(principal, action, on))


OWNER_ONLY = frozenset({Action.assessment_submit})
"""Actions on an assessment that only its owner (the account that started it) may take:
invited respondents answer their sections and hand them back, the owner submits (and
reopens)."""


def require_owner(principal: Principal, action: Action, on: str, owner_id: int | None) -> None:
    """``require``, and for an ``OWNER_ONLY`` action: the principal must be the owner.

    An assessment whose owner's account was erased (``owner_id`` none) may be taken on by
    anyone allowed the action, so it is never stuck.
    """
    require(principal, action, on)
    if action in OWNER_ONLY and owner_id is not None and principal.user_id != owner_id:
        raise PermissionDenied(owner_refusal_message(principal, action, on))


def owner_refusal_message(principal: Principal, action: Action, on: str) -> str:
    """The one wording of a refusal to someone who is not the assessment's owner."""
    return (
        f"not allowed: {principal.role.value} {principal.label} may not {PHRASES[action]} "
        f"for {on}: only the person who started the assessment may; hand your sections back "
        "to them instead"
    )
