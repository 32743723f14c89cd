"""A consultant's report theme is kept with the account: saved, replaced, forgotten, rechecked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from store_world import World, make_user

from advisor.errors import InputError
from advisor.reporting.theme import Colours, Theme
from advisor.services import audit
from advisor.services.report_themes import forget_theme, save_theme, saved_theme
from advisor.store.models import ReportTheme

pytestmark = pytest.mark.postgres

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _theme(name: str = "Advise & Co", logo: bytes = SVG, mime: str = "image/svg+xml") -> Theme:
    # colours as the upload form gives them: text and muted stay at their defaults
    return Theme(
        organisation_name=name,
        colours=Colours(primary="#003366", accent="#aa5500"),
        website="https://advise.example/",
        logo_bytes=logo,
        logo_mime=mime,
    )


def test_a_kept_theme_comes_back_whole(world: World) -> None:
    assert saved_theme(world.db, world.consultant) is None
    save_theme(world.db, world.consultant, _theme())
    assert saved_theme(world.db, world.consultant) == _theme()


def test_saving_again_replaces_the_theme(world: World) -> None:
    save_theme(world.db, world.consultant, _theme())
    save_theme(world.db, world.consultant, _theme("Advise Ltd", PNG, "image/png"))
    kept = saved_theme(world.db, world.consultant)
    assert kept is not None
    assert (kept.organisation_name, kept.logo_mime, kept.logo_bytes) == (
        "Advise Ltd",
        "image/png",
        PNG,
    )
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ReportTheme)) == 1


def test_forgetting_goes_back_to_the_default(world: World) -> None:
    save_theme(world.db, world.consultant, _theme())
    assert forget_theme(world.db, world.consultant) is True
    assert saved_theme(world.db, world.consultant) is None
    assert forget_theme(world.db, world.consultant) is False
    actions = [e.action for e in audit.list_audit(world.db, world.curator)]
    assert actions.count("report_theme.save") == 1
    assert actions.count("report_theme.forget") == 1


def test_each_consultant_sees_only_their_own(world: World) -> None:
    other = make_user(world.db, world.settings, "d@advise.example", "consultant", [])
    save_theme(world.db, world.consultant, _theme())
    assert saved_theme(world.db, other) is None
    save_theme(world.db, other, _theme("Other Advisers"))
    kept = saved_theme(world.db, world.consultant)
    assert kept is not None
    assert kept.organisation_name == "Advise & Co"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"logo": b"<svg><script>alert(1)</script></svg>"}, "logo"),
        ({"logo": b"GIF89a"}, "logo"),
        ({"logo": PNG + b"\x00" * 600_000}, "logo"),  # over the upload limit
        ({"website": "http://169.254.169.254/"}, "website"),
        ({"colours": {"primary": "red"}}, "colours.primary"),
    ],
)
def test_a_row_changed_behind_the_app_is_refused_by_name(
    world: World, change: dict[str, object], field: str
) -> None:
    save_theme(world.db, world.consultant, _theme())
    with world.db.write() as session:
        session.execute(update(ReportTheme).values(**change))
    with pytest.raises(InputError) as refused:
        saved_theme(world.db, world.consultant)
    assert refused.value.problems[0].field == field
