"""Who may do what: the one place that decides every role x action.

A ``Principal`` is the acting user (``advisor.services.accounts.sign_in`` or
``principal_for`` give one; the command line acts as ``OPERATOR``, the person holding the
database, with a curator's rights). Every service function calls ``require`` before it
touches anything, so a refused action raises the same ``PermissionDenied`` with the same
message whether it came from the app or the CLI. ``allowed`` answers the same question
without raising (for a UI that hides what it cannot offer).

The rules:

- council: assessments and reports of the one body it acts for; that body's data export.
- consultant: assessments and reports of its client bodies; may register a new client body;
  keeps its own report theme.
- vendor: proposes changes to its own vendor entry only; sees its own proposals.
- curator: reviews proposals, imports and exports the knowledge base, manages accounts and
  bodies, reads the audit log, exports and erases a body's data, purges old drafts. A curator
  does not read or edit assessments.
- everyone signed in reads the live knowledge base (no check needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from advisor.services.errors import PermissionDenied
from advisor.vocabulary import Role


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


def allowed(principal: Principal, action: Action, on: str | None = None) -> bool:
    """Whether ``principal`` may do ``action`` on organisation ``on`` (a body or vendor id)."""
    role = principal.role
    own = on is not None and on in principal.organisations
    if action in _CURATOR_ONLY:
        return role is Role.curator
    if action in _ASSESSMENT_WORK:
        return role in (Role.council, Role.consultant) and own
    if action in (Action.kb_propose, Action.kb_proposals_view):
        return role is Role.curator or (role is Role.vendor and own)
    if action is Action.organisation_create:
        return role in (Role.curator, Role.consultant)
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
    """Return if allowed; otherwise raise ``PermissionDenied`` with the one wording."""
    if not allowed(principal, action, on):
        raise PermissionDenied(refusal_message(principal, action, on))
