"""What ``advisor serve`` runs: Streamlit's server for ``streamlit_app.py``, plus the two
routes that set and clear the HttpOnly session cookie (``advisor.app.session_cookie``)."""

from __future__ import annotations

import streamlit as st

from advisor.app.session_cookie import routes

app = st.App("streamlit_app.py", routes=routes())
