"""The command line of casework: create-user's role caseworker and --team, and worker --once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from service_builder.cases import teams_of
from service_builder.cli import main
from service_builder.deliveries import Delivery
from service_builder.models import db
from service_builder.staff.accounts import find_user
from tests.casework.test_worker_processes import seed
from tests.conftest import DATABASE_URL, empty_database, make_app
from tests.stand_ins import StandIn


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = DATABASE_URL if DATABASE_URL != "sqlite://" else f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    return url


def test_create_user_caseworker_with_teams(database: str, casework_dir: Path) -> None:
    args = ["create-user", "Case@Council.example", "--role", "caseworker", "--password-stdin"]
    result = CliRunner().invoke(
        main,
        [*args, "--team", "highways", "--team", "parks", "--definitions", str(casework_dir)],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created caseworker case@council.example" in result.stdout
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        user = find_user("case@council.example")
        assert user is not None and user.role == "caseworker"
        assert teams_of(user) == ["highways", "parks"]
    empty_database(app)


def test_every_team_gives_the_teams_of_whichever_services_are_loaded(
    database: str, casework_dir: Path, tmp_path: Path
) -> None:
    """`make run` gives its demo caseworker every team: pointed at another folder of
    definitions, it must not stop at teams only the examples have (a designer's trial)."""
    args = ["create-user", "all@council.example", "--role", "caseworker", "--password-stdin"]
    result = CliRunner().invoke(
        main, [*args, "--every-team", "--definitions", str(casework_dir)], input="long enough pw\n"
    )
    assert result.exit_code == 0, result.output
    none = tmp_path / "no-teams"
    none.mkdir()
    args[1] = "none@council.example"
    nothing = CliRunner().invoke(
        main, [*args, "--every-team", "--definitions", str(none)], input="long enough pw\n"
    )
    assert nothing.exit_code == 0, nothing.output
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        assert teams_of(find_user("all@council.example")) == ["highways", "parks"]  # type: ignore[arg-type]
        assert teams_of(find_user("none@council.example")) == []  # type: ignore[arg-type]
    empty_database(app)


def test_worker_once_sends_what_is_due_and_exits(
    database: str,
    casework_dir: Path,
    webhook: StandIn,
    notify: StandIn,
    environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=database)
    empty_database(app)
    references = seed(app, 2)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["worker", "--once", "--definitions", str(casework_dir)])
    assert result.exit_code == 0, result.output
    assert "6 deliveries attempted: 6 sent, 0 failed (see /admin/deliveries)" in result.stderr
    assert sorted(webhook.references()) == sorted(references)
    with app.app_context():
        assert set(db.session.scalars(select(Delivery.status))) == {"delivered"}
    empty_database(app)


def test_worker_once_counts_emails_not_sent_for_want_of_a_notify_key(
    database: str,
    casework_dir: Path,
    webhook: StandIn,
    environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=database)
    empty_database(app)
    seed(app, 1)
    for name, value in environ.items():
        if name != "NOTIFY_API_KEY":
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    result = CliRunner().invoke(main, ["worker", "--once", "--definitions", str(casework_dir)])
    assert result.exit_code == 0, result.output
    assert (
        "3 deliveries attempted: 1 sent, 0 failed, 2 not sent (no Notify key) "
        "(see /admin/deliveries)" in result.stderr
    )
    empty_database(app)


@pytest.mark.parametrize(
    ("role", "team", "says"),
    [
        ("caseworker", "nope", "no service in"),
        ("admin", "highways", "have teams: admins see every team's cases"),
        ("supervisor", "highways", "only agents and caseworkers have teams"),
    ],
)
def test_create_user_refuses_an_unknown_team_and_teams_for_other_roles(
    role: str, team: str, says: str, database: str, casework_dir: Path
) -> None:
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=database)
    empty_database(app)
    args = ["create-user", "new@council.example", "--role", role, "--password-stdin"]
    result = CliRunner().invoke(
        main,
        [*args, "--team", team, "--definitions", str(casework_dir)],
        input="a long enough password\n",
    )
    assert result.exit_code == 2 and says in result.stderr
    if team == "nope":
        assert "'nope'" in result.stderr and "highways, parks" in result.stderr
    with app.app_context():
        assert find_user("new@council.example") is None
