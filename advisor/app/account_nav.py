"""What the navigation needs to know about the signed-in account."""

from __future__ import annotations

from advisor.app.resources import database
from advisor.services.accounts import must_change_password
from advisor.services.permissions import Principal


def must_choose_password(who: Principal) -> bool:
    """True while the account signed in with a one-time password it has not replaced."""
    return who.user_id is not None and must_change_password(database(), who.user_id)
