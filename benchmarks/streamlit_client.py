"""A browser tab without a browser: one Streamlit session driven over Streamlit's own protocol.

A ``Tab`` opens the websocket a page opens (``ws://host:port/_stcore/stream``, subprotocol
``streamlit``, the page's cookies and origin), sends ``BackMsg`` protobufs and reads the
``ForwardMsg`` ones, the way Streamlit's frontend does:

- it asks for a run on connecting (``rerun_script``: query string, page, widget states and
  the browser's context), and for every click, with the values of every widget on the page
  (a button's click is its ``trigger_value`` for one run; a value a user typed is kept, the
  others are sent as the page shows them, and a value the script sets replaces the typed
  one); inputs of a form are held until the form is submitted;
- it keeps the page's element tree by delta path, and at the end of each successful run drops
  what that run did not draw again (for a fragment's run: within the fragment only);
- it follows the page (``navigation``, ``page_info_changed``: ``st.switch_page`` and
  navigation links), and reruns a fragment on its timer (``auto_rerun``) until told to stop;
- it runs no JavaScript: what a page's script would post (the app's session cookie) is done
  by ``post_session_cookie``.

A step is waited for with ``until``: the next successful run after the action whose page
passes the check; a page that shows an error or an exception ends the wait with ``PageError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, ClassVar

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

STREAM_PATH = "/_stcore/stream"
SESSION_COOKIE_PATH = "/_advisor/session"  # advisor.app.session_cookie.SESSION_PATH
SESSION_COOKIE_HEADER = "X-Advisor-Session"
TRIGGERS = {"button", "download_button"}
"""Widgets whose value is a one-run trigger (never sent except in the run they start)."""
VALUED = {
    "text_input",
    "text_area",
    "number_input",
    "checkbox",
    "radio",
    "selectbox",
    "multiselect",
}
"""Widgets whose current value this client sends with every run, as the frontend does."""


class PageError(Exception):
    """The page showed an error, the script failed, or the server closed the connection."""


@dataclass
class Node:
    """One entry of the element tree: an element (``kind`` its type, ``proto`` its own
    message, e.g. a ``Button``) or a block (``kind`` "block")."""

    kind: str
    proto: Any
    run: str
    fragment: str


def _text_of(node: Node) -> str:
    proto = node.proto
    if node.kind in {"markdown", "heading", "text", "alert"}:
        return str(proto.body)
    if node.kind == "progress":
        return str(proto.text)
    if node.kind in {"button", "download_button", "page_link"}:
        return str(proto.label)
    return ""


def _widget_state(node: Node) -> WidgetState | None:
    """The value the frontend holds for a widget it has just drawn (no user input yet)."""
    p = node.proto
    state = WidgetState(id=p.id)
    kind = node.kind
    if kind in {"text_input", "text_area"}:
        if p.set_value and p.HasField("value"):
            state.string_value = p.value
        elif p.HasField("default"):
            state.string_value = p.default
        else:
            return None
    elif kind == "number_input":
        if p.set_value and p.HasField("value"):
            state.double_value = p.value
        elif p.HasField("default"):
            state.double_value = p.default
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = p.value if p.set_value else p.default
    elif kind in {"radio", "selectbox"}:
        if p.set_value:
            if not p.HasField("raw_value"):
                return None
            state.string_value = p.raw_value
        elif p.HasField("default") and p.default < len(p.options):
            state.string_value = p.options[p.default]
        else:
            return None
    elif kind == "multiselect":
        values = list(p.raw_values) if p.set_value else [p.options[i] for i in p.default]
        state.string_array_value.data.extend(values)
    else:
        return None
    return state


class Tab:
    """One simulated browser tab of a Streamlit app at ``base_url`` (``http://host:port``)."""

    asked: ClassVar[Counter[str]] = Counter()
    """Runs asked for by all tabs so far, by kind (the whole app, a fragment on its timer)."""

    def __init__(
        self,
        base_url: str,
        *,
        cookies: dict[str, str] | None = None,
        timeout: float = 600.0,
        timezone: str = "Europe/London",
        locale: str = "en-GB",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout
        self.timezone = timezone
        self.locale = locale
        self.tree: dict[tuple[int, ...], Node] = {}
        self.page_hash = ""
        self.page_name = ""
        self.query_string = ""
        self.finishes = 0  # successful runs (whole app or a fragment) so far
        self.closed: str | None = None
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._run = ""
        self._run_fragments: tuple[str, ...] = ()
        self._last_full = False  # whether the last successful run was the whole app's
        self._typed: dict[str, WidgetState] = {}  # values a user gave (sent until reset)
        self._pending: dict[str, dict[str, WidgetState]] = {}  # form id -> held values
        self._timers: dict[str, asyncio.Task[None]] = {}  # fragment id -> its auto rerun
        self._wake = asyncio.Event()
        self._mark = 0

    # ---- connecting -------------------------------------------------------------------------

    async def open(self, page_name: str = "", query_string: str = "") -> None:
        """Connect as a page opened at ``/<page_name>`` and wait for its first run."""
        ws_url = "ws" + self.base_url.removeprefix("http") + STREAM_PATH
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._ws = await connect(
            ws_url,
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(self.base_url),
            additional_headers=headers,
            max_size=256 * 2**20,
            open_timeout=self.timeout,
            ping_interval=None,  # a browser sends no pings: a slow server is waited for
            proxy=None,
        )
        self._reader = asyncio.create_task(self._read())
        self.page_name = page_name
        self.query_string = query_string
        self._mark = self.finishes
        await self._send_rerun(page_hash="", page_name=page_name)
        await self.until(lambda tab: tab._last_full, "the page's first run")

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def __aenter__(self) -> Tab:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ---- reading the page -------------------------------------------------------------------

    def nodes(self) -> Iterator[Node]:
        for path in sorted(self.tree):
            yield self.tree[path]

    def texts(self) -> list[str]:
        return [t for t in (_text_of(n) for n in self.nodes()) if t]

    def find_text(self, pattern: str | re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern`` (a regex or a plain substring) in the page's text."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        for text in self.texts():
            found = regex.search(text)
            if found:
                return found
        return None

    def has_text(self, pattern: str | re.Pattern[str]) -> bool:
        return self.find_text(pattern) is not None

    def widget(self, kind: str, label: str | re.Pattern[str]) -> Any | None:
        """The element message of the first ``kind`` (e.g. "button") labelled ``label``."""
        for node in self.nodes():
            if node.kind != kind:
                continue
            text = str(node.proto.label)
            if label.fullmatch(text) if isinstance(label, re.Pattern) else text == label:
                return node.proto
        return None

    def html_bodies(self) -> list[str]:
        return [str(n.proto.body) for n in self.nodes() if n.kind == "html"]

    def problem(self) -> str | None:
        """An exception or error shown on the page, in a few words."""
        for node in self.nodes():
            if node.kind == "exception":
                return f"exception on the page: {node.proto.type}: {node.proto.message}"
            if node.kind == "alert" and node.proto.format == Alert.ERROR:
                return f"error on the page: {node.proto.body}"
        return None

    # ---- acting -----------------------------------------------------------------------------

    def fill(self, label: str, value: str | float | bool) -> None:
        """Type into (or set) the input labelled ``label``; sent with the next run (for an
        input of a form, when the form is submitted)."""
        for kind in ("text_input", "text_area", "number_input", "checkbox"):
            found = self.widget(kind, label)
            if found is None:
                continue
            state = WidgetState(id=found.id)
            if kind == "number_input":
                state.double_value = float(value)
            elif kind == "checkbox":
                state.bool_value = bool(value)
            else:
                state.string_value = str(value)
            if found.form_id:
                self._pending.setdefault(found.form_id, {})[found.id] = state
            else:
                self._typed[found.id] = state
            return
        raise PageError(f"no input labelled {label!r} on the page")

    async def click(self, label: str | re.Pattern[str]) -> None:
        """Press the button labelled ``label`` (a form's submit button submits the form)."""
        button = self.widget("button", label)
        if button is None:
            raise PageError(f"no button {label!r} on the page ({self._summary()})")
        if button.disabled:
            raise PageError(f"the button {label!r} is disabled")
        if button.is_form_submitter and button.form_id:
            self._typed.update(self._pending.pop(button.form_id, {}))
        self._mark = self.finishes
        await self._send_rerun(trigger=button.id)

    async def follow_link(self, label: str) -> None:
        """Open the page a navigation link labelled ``label`` leads to."""
        link = self.widget("page_link", label)
        if link is None:
            raise PageError(f"no link {label!r} on the page ({self._summary()})")
        self._mark = self.finishes
        self.query_string = str(link.query_string)
        await self._send_rerun(page_hash=str(link.page_script_hash))

    async def until(self, check: Callable[[Tab], bool], what: str) -> None:
        """Wait for a successful run, after the last action, whose page passes ``check``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            if self.finishes > self._mark:
                if check(self):
                    return
                if self._last_full and (problem := self.problem()):
                    raise PageError(f"{problem} (waiting for {what})")
            if self.closed is not None:
                raise PageError(f"{self.closed} (waiting for {what})")
            wake = self._wake
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise PageError(f"no {what} within {self.timeout:.0f} s ({self._summary()})")
            try:
                await asyncio.wait_for(wake.wait(), remaining)
            except TimeoutError:
                continue

    async def post_session_cookie(self) -> bool:
        """Do what the page's script does with a one-time sign-in code: post it and keep the
        session cookie the answer sets. False when the page holds no code."""
        code = None
        for body in self.html_bodies():
            if SESSION_COOKIE_PATH not in body:
                continue
            found = re.search(r'body: ("(?:[^"\\]|\\.)*")', body)
            if found:
                code = json.loads(found.group(1))
        if code is None:
            return False
        cookie = await asyncio.to_thread(self._post_code, str(code))
        self.cookies.update(cookie)
        return bool(cookie)

    def _post_code(self, code: str) -> dict[str, str]:
        headers = {SESSION_COOKIE_HEADER: "1", "Content-Type": "text/plain"}
        headers["Origin"] = self.base_url
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(  # noqa: S310  (the local server under test)
            self.base_url + SESSION_COOKIE_PATH, data=code.encode(), method="POST", headers=headers
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
            jar: SimpleCookie = SimpleCookie()
            for header in answer.headers.get_all("Set-Cookie") or []:
                jar.load(header)
            return {name: morsel.value for name, morsel in jar.items()}

    # ---- the protocol -----------------------------------------------------------------------

    def _summary(self) -> str:
        """The page's last few texts and where the session stands (for a step that timed out)."""
        texts = [t.replace("\n", " ")[:60] for t in self.texts()]
        shown = "page ends with: " + " | ".join(texts[-6:]) if texts else "page is empty"
        last = "the whole app" if self._last_full else "a fragment"
        timers = ", ".join(self._timers) or "none"
        return f"{shown}; {self.finishes} runs finished, the last of {last}; timers: {timers}"

    def _states(self, trigger: str | None) -> list[WidgetState]:
        states = []
        for node in self.nodes():
            if node.kind in TRIGGERS:
                if trigger is not None and node.proto.id == trigger:
                    states.append(WidgetState(id=trigger, trigger_value=True))
                continue
            if node.kind not in VALUED:
                continue
            state = self._typed.get(node.proto.id) or _widget_state(node)
            if state is not None:
                states.append(state)
        return states

    async def _send_rerun(
        self,
        *,
        trigger: str | None = None,
        page_hash: str | None = None,
        page_name: str = "",
        fragment: str = "",
    ) -> None:
        if self._ws is None:
            raise PageError("not connected")
        msg = BackMsg()
        state: ClientState = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(self._states(trigger))
        if fragment:
            state.fragment_id = fragment
            state.is_auto_rerun = True
        info = state.context_info
        info.timezone = self.timezone
        info.locale = self.locale
        info.url = f"{self.base_url}/{self.page_name}"
        info.is_embedded = False
        Tab.asked["fragment runs (timer)" if fragment else "runs of the whole app"] += 1
        try:
            await self._ws.send(msg.SerializeToString())
        except ConnectionClosed as exc:
            self._closed(exc)
            raise PageError(str(self.closed)) from exc

    def _closed(self, exc: BaseException) -> None:
        if self.closed is None:
            self.closed = f"connection closed by the server ({exc})"
        self._wake.set()
        self._wake = asyncio.Event()

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for raw in self._ws:
                if isinstance(raw, bytes):
                    self._handle(ForwardMsg.FromString(raw))
        except ConnectionClosed as exc:
            self._closed(exc)
        except Exception as exc:  # a message this client cannot read: say so, not hang
            self._closed(exc)
            self.closed = f"unreadable message from the server: {type(exc).__name__}: {exc}"
        else:
            self._closed(Exception("closed"))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._run = msg.metadata.run.script_run_id
            self._run_fragments = tuple(msg.metadata.run.fragment_ids)
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
            if not self._run_fragments:  # a run of the whole app: fragments draw again
                for timer in self._timers.values():
                    timer.cancel()
                self._timers.clear()
        elif kind == "delta":
            self._delta(msg)
        elif kind == "navigation":
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
            for page in msg.navigation.app_pages:
                if page.page_script_hash == self.page_hash:
                    self.page_name = page.url_pathname
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fragment = msg.auto_rerun.fragment_id
            if fragment in self._timers:
                self._timers[fragment].cancel()
            self._timers[fragment] = asyncio.create_task(
                self._every(msg.auto_rerun.interval, fragment)
            )
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                if fragment in self._timers:
                    self._timers.pop(fragment).cancel()
        elif kind == "script_finished":
            self._finished(msg.script_finished)
        elif kind == "session_event":
            event = msg.session_event
            if event.WhichOneof("type") == "script_compilation_exception":
                self.closed = f"the script failed: {event.script_compilation_exception.message}"
                self._wake.set()
                self._wake = asyncio.Event()

    def _delta(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type") or ""
            proto = getattr(element, kind) if kind else element
            old = self.tree.get(path)
            if old is not None and old.kind == "block":
                self._drop_below(path)
            if kind in VALUED and getattr(proto, "set_value", False):
                self._typed.pop(proto.id, None)
            self.tree[path] = Node(kind, proto, self._run, delta.fragment_id)
        elif which == "add_block":
            old = self.tree.get(path)
            if old is not None and old.kind != "block":
                self._drop_below(path)
            self.tree[path] = Node("block", delta.add_block, self._run, delta.fragment_id)

    def _drop_below(self, path: tuple[int, ...]) -> None:
        n = len(path)
        for key in [k for k in self.tree if len(k) > n and k[:n] == path]:
            del self.tree[key]

    def _finished(self, status: int) -> None:
        if status == ForwardMsg.FINISHED_SUCCESSFULLY:
            stale = [p for p, node in self.tree.items() if node.run != self._run]
            self._last_full = True
        elif status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            ids = set(self._run_fragments)
            stale = [
                p for p, node in self.tree.items() if node.fragment in ids and node.run != self._run
            ]
            self._last_full = False
        else:
            return  # ended early for a rerun: the next run draws the page
        for path in stale:
            if path in self.tree:
                del self.tree[path]
                self._drop_below(path)
        self.finishes += 1
        self._wake.set()
        self._wake = asyncio.Event()

    async def _every(self, interval: float, fragment: str) -> None:
        with contextlib.suppress(PageError):
            while True:
                await asyncio.sleep(interval)
                await self._send_rerun(fragment=fragment)
