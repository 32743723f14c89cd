"""The shipped Streamlit settings, and the serve command's preparation of a store."""

from __future__ import annotations

import tomllib
from pathlib import Path

from typer.testing import CliRunner

from advisor.cli import app
from advisor.cli.serve import streamlit_command

ROOT = Path(__file__).resolve().parents[2]


def _config(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_the_serve_copy_equals_the_repository_config():
    root = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    served = (ROOT / "advisor" / "app" / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert root == served


def test_deployment_settings_are_safe():
    config = _config(ROOT / ".streamlit" / "config.toml")
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] in ("viewer", "minimal")
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"]["allowedHosts"]
    assert config["server"]["corsAllowedOrigins"]
    assert 0 < config["server"]["maxUploadSize"] <= 10


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    config = _config(ROOT / ".streamlit" / "config.toml")
    for section, values in config.items():
        for name in values:
            if section != "theme":
                assert f"{section}.{name}" in doc, f"{section}.{name} is not in deployment.md"
    for needed in ("Sticky sessions", "cookieSecret", "/_stcore/health", "st.login"):
        assert needed in doc


def test_no_page_renders_user_text_as_html():
    for path in (ROOT / "advisor" / "app").rglob("*.py"):
        assert "unsafe_allow_html" not in path.read_text(encoding="utf-8"), path


def test_serve_passes_each_allowed_host():
    command = streamlit_command(8600, "0.0.0.0", ["advisor.example.gov.uk"])  # noqa: S104
    hosts = [command[i + 1] for i, a in enumerate(command) if a == "--server.allowedHosts"]
    assert hosts == ["localhost", "127.0.0.1", "advisor.example.gov.uk"]


def test_serve_check_prepares_an_empty_store_and_explains_the_first_curator(settings):
    runner = CliRunner()
    first = runner.invoke(app, ["serve", "--check"])
    assert first.exit_code == 0, first.output
    assert "seeded now" in first.output
    assert "No account exists yet" in first.output
    assert "set-up code" in first.output
    made = runner.invoke(app, ["serve", "--check", "--create-curator", "boss@council.example"])
    assert made.exit_code == 0, made.output
    assert "one-time password" in made.output
    again = runner.invoke(app, ["serve", "--check", "--create-curator", "x@council.example"])
    assert again.exit_code == 2
    assert "exists already" in again.output
