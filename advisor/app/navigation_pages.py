"""Navigation pages and the tab icon, made once per process.

The entrypoint runs again on every click. Streamlit resolves and checks a page's file each
time a page is made, which was a fair share of a click's CPU time; and a page also notes
whether it is the one the current run may call. So each page is made once per process and
every run gets its own copy of it.
"""

from __future__ import annotations

import copy
import threading
from functools import cache

import streamlit as st
from PIL import Image, ImageDraw

_made: dict[tuple[str, str, str, bool], st.Page] = {}
_lock = threading.Lock()


def page(path: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    """The page of ``app_pages/...`` ``path`` for this run's navigation."""
    key = (path, title, icon, default)
    with _lock:
        made = _made.get(key)
        if made is None:
            slug = path.removeprefix("app_pages/").removesuffix(".py")
            made = _made[key] = st.Page(
                path, title=title, icon=icon, url_path=slug, default=default
            )
    return copy.copy(made)


@cache
def favicon() -> Image.Image:
    """The tab icon, drawn here and served by the app itself. A ``:material/...:`` or emoji
    page icon would make every browser fetch it from a third-party host, telling it who uses
    the advisor; the icons of the navigation come from the font Streamlit serves itself."""
    image = Image.new("RGB", (32, 32), "#1d4e89")
    draw = ImageDraw.Draw(image)
    for i, height in enumerate((10, 16, 22)):
        draw.rectangle((5 + i * 8, 27 - height, 10 + i * 8, 27), fill="#ffffff")
    return image
