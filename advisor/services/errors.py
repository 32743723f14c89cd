"""The errors the service layer raises; the app and the CLI show their message as it is.

- ``PermissionDenied``: the one refusal, raised only by ``advisor.services.permissions``, so a
  refused action reads the same from the app and from the command line.
- ``ConflictError``: someone saved first; carries the current version to reload from.
- ``NotFoundError``: no such record.
- ``SignInRefused``: wrong email or password (one message for both, so accounts can't be
  probed); ``SignInThrottled``: too many failures, try again later.
- Bad input raises ``advisor.errors.InputError`` naming the field, as everywhere else.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal or failure the service layer reports to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PermissionDenied(ServiceError):
    """The acting user may not do this."""


class ConflictError(ServiceError):
    """The record changed since the user read it; ``current_version`` is what is there now."""

    def __init__(self, what: str, seen_version: int, current_version: int) -> None:
        super().__init__(
            f"{what} was changed by someone else: you edited version {seen_version}, "
            f"the current version is {current_version}; reload it and apply your change again"
        )
        self.what = what
        self.seen_version = seen_version
        self.current_version = current_version


class NotFoundError(ServiceError):
    """No such record."""


class SignInRefused(ServiceError):
    """Wrong email or password, or an account that is switched off."""

    def __init__(self) -> None:
        super().__init__("sign-in failed: wrong email or password")


class SignInThrottled(ServiceError):
    """Too many failed sign-ins for this email; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            f"too many failed sign-ins for this account: try again in {minutes} minute(s)"
        )
        self.retry_after = retry_after
