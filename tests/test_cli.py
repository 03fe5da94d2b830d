"""The service-builder command: validate, schema, export and create-user."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from service_builder.cases import Case
from service_builder.cli import main
from service_builder.models import StaffUser, db
from tests.conftest import (
    DATABASE_URL,
    EXAMPLES,
    FIXTURES,
    copy_fixture,
    empty_database,
    make_app,
)


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The CLI builds its own app from the environment, so point it at a test database."""
    url = DATABASE_URL if DATABASE_URL != "sqlite://" else f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    return url


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_validate_passes_the_examples() -> None:
    code, out, err = run("validate", str(EXAMPLES))
    assert code == 0, out
    assert "0 problems found" in err


def test_validate_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: Bad\npages:\n  - id: p\n    questions:\n"
        "      - {id: q, type: txt, label: Q}\n    colour: red\n"
    )
    code, out, _ = run("validate", str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:6: pages[0].questions[0].type: type 'txt' is not a question type; use one of "
        "'text', 'textarea', 'number', 'email', 'phone', 'date', 'radios', 'checkboxes', "
        "'select', 'yes_no', 'postcode', 'address', 'file' (did you mean 'text'?)",
        f"{bad}:7: pages[0].colour: unknown key",
    ]


def test_validate_says_a_file_that_is_not_there_is_a_problem_and_exits_1(tmp_path: Path) -> None:
    """The contract's statuses are 0 and 1: not click's 2 for a usage error."""
    missing = tmp_path / "nope.yaml"
    code, out, _ = run("validate", str(missing))
    assert code == 1
    assert out.startswith(f"{missing}:1: (top level): cannot read the file:")


def test_validate_uses_the_definitions_option(tmp_path: Path) -> None:
    copy_fixture("branching.yaml", tmp_path)
    code, _, err = run("validate", "--definitions", str(tmp_path))
    assert code == 0 and "1 definition checked" in err


def test_schema_prints_json_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["additionalProperties"] is False
    assert "pages" in schema["required"]


def _submit(definitions: Path, database: str) -> str:
    app = make_app(definitions, SQLALCHEMY_DATABASE_URI=database)
    client = app.test_client()
    base = "/branching"
    client.post(f"{base}/age", data={"age": "30"})
    client.post(f"{base}/pets", data={"pets": ["cat", "dog"]})
    client.post(f"{base}/dog-name", data={"dog_name": 'Rex, the "good" boy'})
    client.post(f"{base}/notice")
    client.post(f"{base}/contact", data={"email": "a@example.com", "newsletter": "yes"})
    assert client.post(f"{base}/check-answers").status_code == 302
    return base


@pytest.fixture
def submitted(tmp_path: Path, database: str) -> Path:
    """A definitions folder with the branching scenario, and one submission of it."""
    definitions = tmp_path / "defs"
    definitions.mkdir()
    copy_fixture("branching.yaml", definitions)
    empty_database(make_app(definitions, SQLALCHEMY_DATABASE_URI=database))
    _submit(definitions, database)
    return definitions


def test_export_json_and_csv(submitted: Path) -> None:
    definitions = submitted
    code, out, _ = run("export", "--service", "branching", "--definitions", str(definitions))
    assert code == 0
    [record] = json.loads(out)
    assert set(record) >= {"reference", "service", "submitted_at", "channel", "answers"}
    assert record["service"] == "branching" and record["channel"] == "online"
    assert record["submitted_at"].endswith("Z")
    assert record["answers"] == {
        "age": 30,
        "pets": ["cat", "dog"],
        "dog_name": 'Rex, the "good" boy',
        "email": "a@example.com",
        "newsletter": "yes",
    }
    code, out, _ = run(
        "export", "--service", "branching", "--format", "csv", "--definitions", str(definitions)
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["reference", "submitted_at", "channel"]
    assert rows[0][3:9] == ["age", "pets", "dog_name", "email", "staff_note", "newsletter"]
    assert rows[1][3:9] == ["30", "cat; dog", 'Rex, the "good" boy', "a@example.com", "", "yes"]
    code, out, _ = run(
        "export",
        "--service",
        "branching",
        "--since",
        "2999-01-01",
        "--definitions",
        str(definitions),
    )
    assert json.loads(out) == []


def test_export_with_case_adds_where_each_case_stands_and_only_then(
    submitted: Path, database: str
) -> None:
    base = ("export", "--service", "branching", "--definitions", str(submitted))
    plain_json, plain_csv = run(*base), run(*base, "--format", "csv")
    assert "case" not in json.loads(plain_json[1])[0] and "case_status" not in plain_csv[1]
    code, out, _ = run(*base, "--with-case")
    assert code == 0 and json.loads(out)[0]["case"]["status"] == "received"
    with make_app(submitted, SQLALCHEMY_DATABASE_URI=database).app_context():
        db.session.execute(update(Case).values(status="closed", closed_reason="refused"))
        db.session.commit()
    code, out, _ = run(*base, "--with-case")
    [record] = json.loads(out)
    assert code == 0 and set(record["case"]) == {"status", "outcome", "updated_at"}
    assert (record["case"]["status"], record["case"]["outcome"]) == ("closed", "refused")
    assert record["case"]["updated_at"].endswith("Z")
    code, out, _ = run(*base, "--format", "csv", "--with-case")
    header, row = list(csv.reader(io.StringIO(out)))
    assert header[-3:] == ["case_status", "case_outcome", "case_updated_at"]
    assert row[-3:-1] == ["closed", "refused"] and row[-1] == record["case"]["updated_at"]
    assert header[:-3] == next(csv.reader(io.StringIO(plain_csv[1])))  # the rest as it was
    with make_app(submitted, SQLALCHEMY_DATABASE_URI=database).app_context():
        db.session.execute(delete(Case))  # as for a form sent before cases were kept
        db.session.commit()
    assert json.loads(run(*base, "--with-case")[1])[0]["case"] is None
    *_, row = list(csv.reader(io.StringIO(run(*base, "--format", "csv", "--with-case")[1])))
    assert row[-3:] == ["", "", ""]


def test_export_keeps_answers_to_questions_removed_since(submitted: Path) -> None:
    definitions = submitted
    text = (definitions / "branching.yaml").read_text()
    dog_page = text[text.index("  - id: dog-name") : text.index("  - id: notice")]
    (definitions / "branching.yaml").write_text(text.replace(dog_page, ""))
    _code, out, _ = run(
        "export", "--service", "branching", "--format", "csv", "--definitions", str(definitions)
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][3:] == [
        "age",
        "pets",
        "email",
        "staff_note",
        "newsletter",
        "dog_name",
        "contact_channel",
        "staff",
    ]
    assert rows[1][8] == 'Rex, the "good" boy'


def test_export_of_an_unknown_service_fails() -> None:
    code, _, err = run("export", "--service", "nothing-here")
    assert code == 1 and "no service" in err


def test_create_user_hashes_the_password(tmp_path: Path, database: str) -> None:
    code, out, _ = run(
        "create-user",
        "Agent@Example.com",
        "--role",
        "agent",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert code == 0 and "Created agent agent@example.com" in out
    app = make_app(EXAMPLES, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        user = db.session.scalars(select(StaffUser)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert "a long enough password" not in user.password_hash
    code, _, err = run(
        "create-user", "x@example.com", "--role", "agent", "--password-stdin", stdin="short\n"
    )
    assert code == 1 and "at least 12 characters" in err


def test_create_user_keeps_a_disabled_account_disabled_unless_enable_is_given(
    database: str,
) -> None:
    """A password reset used to clear disabled_at: a leaver's account signed in again."""
    app = make_app(EXAMPLES, SQLALCHEMY_DATABASE_URI=database)
    empty_database(app)
    add = ("create-user", "Leaver@Example.com", "--role", "caseworker", "--password-stdin")
    assert run(*add, stdin="a long enough password\n")[0] == 0
    assert run("disable-user", "leaver@example.com")[0] == 0
    code, out, _ = run(*add, stdin="another long password\n")
    assert code == 0
    assert out == (
        "Updated caseworker leaver@example.com\n"
        "leaver@example.com is disabled: it stays disabled; add --enable to let it sign in "
        "again\n"
    )
    with app.app_context():
        assert db.session.scalars(select(StaffUser.disabled_at)).one() is not None
    code, out, _ = run(*add, "--enable", stdin="another long password\n")
    assert code == 0
    assert out == (
        "Updated caseworker leaver@example.com\n"
        "leaver@example.com was disabled: it can sign in again\n"
    )
    with app.app_context():
        assert db.session.scalars(select(StaffUser.disabled_at)).one() is None


def test_development_keeps_one_secret_key_across_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    from service_builder.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config({"SERVICE_BUILDER_ENV": "development"})["SECRET_KEY"]
    second = load_config({"SERVICE_BUILDER_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) == 64
    with pytest.raises(Exception, match="SECRET_KEY must be set"):
        load_config({"SERVICE_BUILDER_ENV": "production"})


def test_production_commands_run_without_the_secret_key(
    submitted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cron jobs and backup checks need not hold the app's key: commands sign nothing that
    lasts, so each gets a random key of its own; serving still refuses to start without one."""
    from service_builder.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    command = {"SERVICE_BUILDER_ENV": "production", "SERVICE_BUILDER_COMMAND": True}
    first, second = (load_config(command)["SECRET_KEY"] for _ in range(2))
    assert first != second and len(first) == 64
    import logging

    monkeypatch.setenv("SERVICE_BUILDER_ENV", "production")
    before = list(logging.getLogger().handlers)
    try:
        export = ("export", "--service", "branching", "--definitions", str(submitted))
        code, out, err = run(*export)
    finally:  # production's log handler is not left to other tests
        for handler in set(logging.getLogger().handlers) - set(before):
            logging.getLogger().removeHandler(handler)
    assert code == 0, err
    assert len(json.loads(out)) == 1


def test_production_refuses_the_published_key_and_warns_of_a_short_one(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from service_builder.config import ConfigError, load_config

    monkeypatch.setenv("SECRET_KEY", "local-development-only")  # `make run`'s, in the Makefile
    with pytest.raises(ConfigError, match="development key published in the Makefile"):
        load_config({"SERVICE_BUILDER_ENV": "production"})
    monkeypatch.setenv("SECRET_KEY", "short")
    with caplog.at_level("WARNING", logger="service_builder.config"):
        load_config({"SERVICE_BUILDER_ENV": "production"})
    assert "SECRET_KEY is shorter than 32 characters" in caplog.text


def test_commands_log_each_line_once_and_no_migration_chatter(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.db'}",
        "SERVICE_BUILDER_ENV": "development",
        "SECRET_KEY": "cli-test",
    }
    main_ = "from service_builder.cli import main; main()"
    for args in (["worker", "--once"], ["export", "--service", "report-fly-tipping"]):
        command = [sys.executable, "-c", main_, *args, "--definitions", str(EXAMPLES)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and (done.stdout or done.stderr), done.stderr
        lines = done.stderr.splitlines()
        assert not [line for line in lines if "alembic" in line or "Context impl" in line]
        messages = [line.split(" ", 3)[-1] for line in lines]  # without the time
        assert len(messages) == len(set(messages)), done.stderr


def _count_submissions(database: str) -> int:
    from sqlalchemy import func

    from service_builder.models import Submission

    with make_app(EXAMPLES, SQLALCHEMY_DATABASE_URI=database).app_context():
        return db.session.scalar(select(func.count()).select_from(Submission)) or 0


def test_purge_refuses_a_missing_or_broken_definitions_folder(
    submitted: Path, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS", "0")
    code, out, err = run("purge", "--definitions", str(tmp_path / "nonexistent"))
    assert code == 1 and "does not exist" in err and "nothing deleted" in err
    assert "Deleted" not in out
    (submitted / "branching.yaml").write_text("id: branching\ntitle: [broken\n")
    code, out, err = run("purge", "--definitions", str(submitted))
    assert code == 1 and "branching.yaml" in err and "Deleted" not in out
    assert _count_submissions(database) == 1
    code, _, err = run("export", "--service", "branching", "--definitions", str(submitted))
    assert code == 1 and "may have problems" in err


def test_purge_counts_in_plain_english(
    submitted: Path, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run("purge", "--definitions", str(submitted))
    assert code == 0 and "Deleted 0 submissions past retention and 0 abandoned drafts" in out
    monkeypatch.setenv("SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS", "0")
    copy_fixture("pets.yaml", submitted)
    (submitted / "branching.yaml").unlink()  # the service removed: its submission goes now
    code, out, _ = run("purge", "--definitions", str(submitted))
    assert code == 0 and "Deleted 1 submission past retention and 0 abandoned drafts" in out
    assert "Deleted 0 timed-out staff sign-ins" in out
    assert _count_submissions(database) == 0


def test_purge_refuses_an_empty_definitions_folder(
    submitted: Path, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--definitions /tmp/empty` used to delete every service's submissions as removed."""
    monkeypatch.setenv("SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS", "0")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("purge", "--definitions", str(empty))
    assert code == 1 and out == ""
    assert err == f"Error: nothing deleted: the definitions folder {empty} holds no definitions\n"
    assert _count_submissions(database) == 1


def test_a_command_on_a_database_that_is_down_says_so_once_without_promising_a_retry(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the app server tries again later; a one-shot command just fails, in one line."""
    import logging

    monkeypatch.setenv("SERVICE_BUILDER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-length-secret-key-for-this-test")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://sb:sb@127.0.0.1:5399/nothing")
    before = list(logging.getLogger().handlers)
    try:
        with caplog.at_level("WARNING"):
            code, out, err = run("export", "--service", "report-fly-tipping")
    finally:  # production's log handler is not left to other tests
        for handler in set(logging.getLogger().handlers) - set(before):
            logging.getLogger().removeHandler(handler)
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith("Error: cannot use the database (DATABASE_URL): ")
    assert "trying again" not in caplog.text + err


def test_export_refuses_a_missing_definitions_folder(submitted: Path, tmp_path: Path) -> None:
    code, out, err = run("export", "--service", "branching", "--definitions", str(tmp_path / "no"))
    assert code == 1 and "does not exist" in err and out == ""


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("DATABASE_URL", "garbage", "DATABASE_URL is not usable"),
        ("SERVICE_BUILDER_ENV", "prod", "SERVICE_BUILDER_ENV must be one of"),
        ("SERVICE_BUILDER_TRUSTED_PROXIES", "yes", "must be a whole number, not 'yes'"),
        ("SECRET_KEY", "local-development-only", "SECRET_KEY is the development key"),
        ("OS_PLACES_TIMEOUT", "abc", "OS_PLACES_TIMEOUT must be a number of seconds"),
        ("SERVICE_BUILDER_EVENTS_DAYS", "a year", "must be a whole number, not 'a year'"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(
    setting: str, value: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(setting, value)
    if setting == "SECRET_KEY":
        monkeypatch.setenv("SERVICE_BUILDER_ENV", "production")
    result = CliRunner().invoke(main, ["export", "--service", "x"])
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"Error: {result.stderr.strip()[7:]}"]
    assert says in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://sb:s3cret-pw@127.0.0.1:5369/sb_clifix_none",  # nothing listens there
        "sqlite:////nonexistent/folder/s3cret-pw.db",
    ],
)
def test_an_unusable_database_is_one_line_without_the_password_and_exit_1(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(main, ["export", "--service", "x"])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot use the database" in result.stderr and "s3cret-pw" not in result.stderr


def test_worker_refuses_a_negative_batch() -> None:
    code, _, err = run("worker", "--batch", "-5")
    assert code == 2 and "-5 is not in the range x>=1" in err


def test_validate_notes_a_webhook_whose_variables_are_not_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = FIXTURES / "casework.yaml"
    for name in ("POTHOLE_CASE_URL", "POTHOLE_CASE_SECRET", "DEVELOPMENT_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run("validate", str(path))
    assert code == 0  # where it runs, not the file
    assert (
        "note: report-a-pothole's webhook needs POTHOLE_CASE_URL and POTHOLE_CASE_SECRET, "
        "which are not both set here: it would not be sent"
    ) in err
    monkeypatch.setenv("DEVELOPMENT_WEBHOOK_URL", "http://127.0.0.1:5001/cases")
    monkeypatch.setenv("DEVELOPMENT_WEBHOOK_SECRET", "development-secret")
    assert "webhook" not in run("validate", str(path))[2]


def test_a_command_without_database_url_says_which_database_it_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An operator's trial: a cron `export` without the servers' environment read an empty
    development database and exited 0, saying nothing of it."""

    class Stop(Exception):
        pass

    def stop(*_: object) -> None:  # no database is touched
        raise Stop

    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr("service_builder.create_app", stop)
    result = CliRunner().invoke(main, ["export", "--service", "anything"])
    assert isinstance(result.exception, Stop)
    assert "DATABASE_URL is not set: using the development database" in result.stderr
    from service_builder.config import development_database  # its full path (a re-trial)

    assert str(development_database()) in result.stderr and development_database().is_absolute()
