"""The app's entrypoint: session state, sign-in, and the pages each role sees.

Run with ``advisor serve`` (or ``streamlit run advisor/app/streamlit_app.py``). Pages live in
``app_pages/``; each is a thin shell over ``advisor.services``. No traceback reaches a user:
a refusal or bad input is shown as its message, anything else as one plain sentence.
"""

from __future__ import annotations

import logging

import streamlit as st

from advisor.app import session
from advisor.app.account_nav import must_choose_password
from advisor.app.navigation_pages import favicon, page
from advisor.app.ui import escape_markdown, page_style, problems, side_menu, signed_in_caption
from advisor.errors import InputError
from advisor.services.errors import ServiceError
from advisor.services.permissions import Principal
from advisor.vocabulary import Role

log = logging.getLogger("advisor.app")


st.set_page_config(page_title="Service Maturity Advisor", page_icon=favicon())
page_style()
session.init()


def pages_for(who: Principal | None) -> dict[str, list[st.Page]]:
    """The navigation of a role (signed out: the sign-in page only; with a one-time password
    not yet replaced: the page to choose one only)."""
    if who is None:
        return {"": [page("app_pages/sign_in.py", "Sign in", ":material/login:", default=True)]}
    if must_choose_password(who):
        title = "Change password"
        return {"": [page("app_pages/change_password.py", title, ":material/key:", default=True)]}
    account = {
        "Your account": [page("app_pages/change_password.py", "Change password", ":material/key:")]
    }
    return {**_role_pages(who), **account}


def _role_pages(who: Principal) -> dict[str, list[st.Page]]:
    explorer = page("app_pages/explorer.py", "Knowledge graph", ":material/hub:")
    if who.role is Role.council:
        return {
            "Assessment": [
                page("app_pages/wizard.py", "Assessment", ":material/checklist:", default=True),
                page("app_pages/results.py", "Results", ":material/insights:"),
                page("app_pages/what_if.py", "What if", ":material/tune:"),
                page("app_pages/consultants.py", "Consultants", ":material/handshake:"),
            ],
            "Explore": [explorer],
        }
    if who.role is Role.consultant:
        return {
            "Clients": [
                page("app_pages/clients.py", "Clients", ":material/groups:", default=True),
                page("app_pages/wizard.py", "Assessment", ":material/checklist:"),
                page("app_pages/results.py", "Results", ":material/insights:"),
                page("app_pages/what_if.py", "What if", ":material/tune:"),
                page("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
                page("app_pages/batch_export.py", "Batch export", ":material/download:"),
                page("app_pages/report_theme.py", "Report theme", ":material/palette:"),
            ],
            "Explore": [explorer],
        }
    if who.role is Role.vendor:
        return {
            "Your entry": [
                page("app_pages/vendor_entry.py", "Edit entry", ":material/edit:", default=True),
                page("app_pages/vendor_history.py", "Status and history", ":material/history:"),
            ],
            "Explore": [explorer],
        }
    return {
        "Curation": [
            page("app_pages/review_queue.py", "Review queue", ":material/rule:", default=True),
            page("app_pages/people.py", "People", ":material/group:"),
            page("app_pages/bodies.py", "Bodies", ":material/account_balance:"),
            page("app_pages/supplier_review.py", "Suppliers from awards", ":material/storefront:"),
            page("app_pages/audit_log.py", "Audit log", ":material/receipt_long:"),
            page("app_pages/kb_health.py", "Knowledge-base health", ":material/monitor_heart:"),
        ],
        "Explore": [explorer],
    }


def _signed_out_pages() -> dict[str, list[st.Page]]:
    """Signed out: the sign-in page, also at the address of every page of every role, so a
    bookmarked or reloaded page asks for sign-in and then opens itself (its address kept)."""
    sign_in = page("app_pages/sign_in.py", "Sign in", ":material/login:", default=True)
    slugs = {
        _slug(page)
        for role in Role
        for group in pages_for(Principal(None, "", role)).values()
        for page in group
    }
    stand_ins = [
        st.Page("app_pages/sign_in.py", title="Sign in", url_path=slug) for slug in sorted(slugs)
    ]
    return {"": [sign_in, *stand_ins]}


def _slug(page: st.Page) -> str:
    """A page's own address, also for the default page (whose ``url_path`` is empty)."""
    # getattr with a default: a page built with no Streamlit runtime behind it (a report
    # worker process that imports this script) has neither attribute
    return str(getattr(page, "_url_path", "") or getattr(page, "url_path", ""))


def _restored_page(navigation: st.Page, pages: dict[str, list[st.Page]]) -> None:
    """A tab opened at the app's address with a restored session: back to its last page."""
    target = st.session_state.get("restore_page")
    st.session_state["restore_page"] = None
    if not target or navigation.url_path or target == _slug(navigation):
        return
    for candidate in (p for group in pages.values() for p in group):
        if _slug(candidate) == target:
            st.switch_page(candidate)


who = session.signed_in()
pages = pages_for(who) if who is not None else _signed_out_pages()
navigation = st.navigation(pages, position="hidden")  # the sidebar's menu is side_menu
session.cookie_scripts()
if who is not None:
    _restored_page(navigation, pages)
    wizard_open = _slug(navigation) == "wizard" and st.session_state.get("assessment_id")
    if session.sign_out_requested() and not wizard_open:
        session.finish_sign_out()
    session.note_page(_slug(navigation))
    side_menu(pages)
    signed_in_caption(who.email, who.role.value)
    st.sidebar.button("Sign out", key="app_sign_out", on_click=session.request_sign_out)
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
session.finish_sign_out()  # asked for on a page that saved first (the wizard)
