"""The app's entrypoint: session state, sign-in, and the pages each role sees.

Run with ``advisor serve`` (or ``streamlit run advisor/app/streamlit_app.py``). Pages live in
``app_pages/``; each is a thin shell over ``advisor.services``. No traceback reaches a user:
a refusal or bad input is shown as its message, anything else as one plain sentence.
"""

from __future__ import annotations

import logging
from functools import cache

import streamlit as st
from PIL import Image, ImageDraw

from advisor.app import session
from advisor.app.resources import database
from advisor.app.ui import escape_markdown, page_style, problems, signed_in_caption
from advisor.errors import InputError
from advisor.services.accounts import principal_for
from advisor.services.errors import ServiceError, SignInRefused
from advisor.services.permissions import Principal
from advisor.vocabulary import Role

log = logging.getLogger("advisor.app")


@cache
def _favicon() -> Image.Image:
    """The tab icon, drawn here and served by the app itself. A ``:material/...:`` or emoji
    page icon would make every browser fetch it from a third-party host, telling it who uses
    the advisor; the icons of the navigation come from the font Streamlit serves itself."""
    image = Image.new("RGB", (32, 32), "#1d4e89")
    draw = ImageDraw.Draw(image)
    for i, height in enumerate((10, 16, 22)):
        draw.rectangle((5 + i * 8, 27 - height, 10 + i * 8, 27), fill="#ffffff")
    return image


st.set_page_config(page_title="Service Maturity Advisor", page_icon=_favicon())
page_style()
session.init()


def _page(path: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    slug = path.removeprefix("app_pages/").removesuffix(".py")
    return st.Page(path, title=title, icon=icon, url_path=slug, default=default)


def pages_for(who: Principal | None) -> dict[str, list[st.Page]]:
    """The navigation of a role (signed out: the sign-in page only)."""
    explorer = _page("app_pages/explorer.py", "Knowledge graph", ":material/hub:")
    if who is None:
        return {"": [_page("app_pages/sign_in.py", "Sign in", ":material/login:", default=True)]}
    if who.role is Role.council:
        return {
            "Assessment": [
                _page("app_pages/wizard.py", "Assessment", ":material/checklist:", default=True),
                _page("app_pages/results.py", "Results", ":material/insights:"),
                _page("app_pages/what_if.py", "What if", ":material/tune:"),
            ],
            "Explore": [explorer],
        }
    if who.role is Role.consultant:
        return {
            "Clients": [
                _page("app_pages/clients.py", "Clients", ":material/groups:", default=True),
                _page("app_pages/wizard.py", "Assessment", ":material/checklist:"),
                _page("app_pages/results.py", "Results", ":material/insights:"),
                _page("app_pages/what_if.py", "What if", ":material/tune:"),
                _page("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
                _page("app_pages/batch_export.py", "Batch export", ":material/download:"),
                _page("app_pages/report_theme.py", "Report theme", ":material/palette:"),
            ],
            "Explore": [explorer],
        }
    if who.role is Role.vendor:
        return {
            "Your entry": [
                _page("app_pages/vendor_entry.py", "Edit entry", ":material/edit:", default=True),
                _page("app_pages/vendor_history.py", "Status and history", ":material/history:"),
            ],
            "Explore": [explorer],
        }
    return {
        "Curation": [
            _page("app_pages/review_queue.py", "Review queue", ":material/rule:", default=True),
            _page("app_pages/audit_log.py", "Audit log", ":material/receipt_long:"),
            _page("app_pages/kb_health.py", "Knowledge-base health", ":material/monitor_heart:"),
        ],
        "Explore": [explorer],
    }


def _current_principal() -> Principal | None:
    """Reload the signed-in user from the store, so a switched-off account stops at once."""
    user_id = st.session_state.get("user_id")
    if user_id is None:
        st.session_state["principal"] = None
        return None
    try:
        who = principal_for(database(), int(user_id))
    except SignInRefused:
        st.session_state["user_id"] = None
        st.session_state["principal"] = None
        return None
    st.session_state["principal"] = who
    return who


def _sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if st.user.get("is_logged_in"):  # signed in through the identity provider: end that too
        st.logout()


st.session_state.setdefault("user_id", None)
who = _current_principal()
navigation = st.navigation(pages_for(who))
if who is not None:
    signed_in_caption(who.email, who.role.value)
    st.sidebar.button("Sign out", key="app_sign_out", on_click=_sign_out)
session.show_flash()
try:
    navigation.run()
except ServiceError as exc:
    st.error(escape_markdown(str(exc)))
except InputError as exc:
    problems(exc)
except Exception:  # the last line of defence: a plain sentence, the detail in the server log
    log.exception("page %s failed", navigation.url_path)
    st.error(
        "Sorry, something went wrong on this page. Your saved work is safe; "
        "please try again, and tell your administrator if it happens again."
    )
