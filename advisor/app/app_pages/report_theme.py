"""Consultant: your own report theme (organisation name, colours, logo) for your exports."""

from __future__ import annotations

import streamlit as st

from advisor.app.resources import database
from advisor.app.session import report_theme, require_principal
from advisor.app.ui import escape_markdown, problems
from advisor.errors import InputError
from advisor.reporting.theme import MAX_LOGO_BYTES, Colours, default_theme
from advisor.services.app_support import theme_from_upload
from advisor.services.report_themes import forget_theme, save_theme

who = require_principal()
st.title("Report theme")
st.write(
    "Reports you download carry your organisation's name, colours and logo. The theme is "
    "kept with your account until you change it. The logo must be a PNG, JPEG or plain SVG "
    f"of at most {MAX_LOGO_BYTES // 1024} KB; you can change the colours without one."
)
# the uploader's own line states Streamlit's whole-megabyte limit; the label states the real one
st.html(
    "<style>.st-key-theme_logo [data-testid='stFileUploaderDropzoneInstructions']"
    " { display: none; }</style>"
)
THEME_LABELS = {
    "organisation_name": "Organisation name",
    "website": "Website",
    "colours.primary": "Main colour",
    "colours.accent": "Highlight colour",
    "colours": "Colours",
    "logo": "Logo",
    "": "Your theme",
}
current = report_theme()
if current is not None:
    st.success(f"Your theme is in use: {escape_markdown(current.organisation_name)}.")
    # st.image reads SVG as markup text (a checked, script-free logo), other images as bytes
    svg = current.logo_mime == "image/svg+xml"
    logo_shown = current.logo_bytes.decode("utf-8", errors="replace") if svg else current.logo_bytes
    st.image(logo_shown, width=160, caption="Current logo")

# the form starts from the theme in use, so a change needs only the fields that change
start = current.colours if current is not None else Colours()
with st.form("theme_form"):
    name = st.text_input(
        "Organisation name",
        value=current.organisation_name if current is not None else "",
        max_chars=120,
        key="theme_name",
    )
    website = st.text_input(
        "Website (https, optional)",
        value=(current.website or "") if current is not None else "",
        key="theme_website",
    )
    c1, c2 = st.columns(2)
    primary = c1.color_picker("Main colour", value=start.primary, key="theme_primary")
    accent = c2.color_picker("Highlight colour", value=start.accent, key="theme_accent")
    logo = st.file_uploader(
        f"Logo: PNG, JPEG or SVG, at most {MAX_LOGO_BYTES // 1024} KB ("
        + (
            "optional: without one, reports carry the advisor's own logo)"
            if current is None
            else "leave empty to keep the current one)"
        ),
        type=["png", "jpg", "jpeg", "svg"],
        key="theme_logo",
        max_upload_size=1,  # whole megabytes only; the 512 KB limit is checked on saving
    )
    save = st.form_submit_button("Use this theme", type="primary")
if save:
    # only the colours (or the name) changed: the logo in use, or the default theme's
    kept = (current or default_theme()).logo_bytes
    logo_bytes = logo.getvalue() if logo is not None else kept
    try:
        theme = theme_from_upload(
            name,
            {"primary": primary, "accent": accent},
            website.strip() or None,
            logo_bytes,
        )
    except InputError as exc:
        problems(exc, where="your theme", labels=THEME_LABELS)
    else:
        save_theme(database(), who, theme)
        st.session_state["report_theme"] = theme
        st.session_state.pop("results_prepared", None)
        st.rerun()
if current is not None and st.button("Go back to the default theme", key="theme_reset"):
    forget_theme(database(), who)
    st.session_state["report_theme"] = None
    st.session_state.pop("results_prepared", None)
    st.rerun()
