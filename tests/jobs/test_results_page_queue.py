"""The results page with a broker and no worker: the click's wait ends, and the page says how
the report stands instead of hanging, with the rest of the page still there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from jobs_world import REDIS_URL, ROOT
from streamlit.testing.v1 import AppTest

from advisor.jobs.queues import BrokerQueue

pytestmark = pytest.mark.redis

ENTRYPOINT = str(ROOT / "advisor" / "app" / "streamlit_app.py")


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_report_waiting_for_a_worker_says_so(
    broker_env: dict[str, str], account: tuple[str, str], fresh_caches: None
) -> None:
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60).run()
    at.text_input(key="sign_in_email").input(account[0])
    at.text_input(key="sign_in_password").input(account[1])
    at.button[0].click()
    at.run()
    at.switch_page("app_pages/results.py").run()
    try:
        at.button(key="results_prepare").click().run()
        assert not at.exception, at.exception
        said = [info.value for info in at.info]
        assert any(
            text.startswith("Waiting in the queue: no report worker is running yet")
            for text in said
        ), said
        assert "results_prepared" not in at.session_state
        assert at.session_state["results_job"] is not None
        # the advice above the report's part is still drawn
        assert "Results" in [title.value for title in at.title]
        assert at.subheader
    finally:
        BrokerQueue(REDIS_URL, broker_env["ADVISOR_QUEUE_NAME"]).queue.empty()
