"""The `service-builder` command: validate, schema, export, a11y, create-user and helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import Any, TextIO, cast

import click
from flask import Flask

from service_builder.catalog import definition_files
from service_builder.definitions import LoadResult, Service, load_definition
from service_builder.definitions.schema import json_schema_text

definitions_option = click.option(
    "--definitions",
    "definitions",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: os.environ.get("SERVICE_BUILDER_DEFINITIONS", "form_definitions"),
    show_default="SERVICE_BUILDER_DEFINITIONS or form_definitions/",
    help="Folder of service definitions.",
)


class BadConfiguration(click.ClickException):
    """Settings a command cannot run with: one line on standard error, exit 2 (as for bad
    arguments), no traceback."""

    exit_code = 2


class Commands(click.Group):
    """Every command's configuration and database problems are reported here, once: exit 2
    for settings that cannot work, 1 for a database that does not answer."""

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import ArgumentError, OperationalError

        from service_builder.config import ConfigError

        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise BadConfiguration(str(error)) from None
        except ArgumentError as error:  # e.g. a DATABASE_URL SQLAlchemy cannot read
            raise BadConfiguration(f"DATABASE_URL is not usable: {error}") from None
        except OperationalError as error:  # the driver's reason names host and port, never
            reason = " ".join(str(error.orig).split())  # the password
            raise click.ClickException(
                f"cannot use the database (DATABASE_URL): {reason}"
            ) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Service Builder: accessible council services from YAML definitions."""


def _files(paths: tuple[Path, ...], definitions: Path) -> list[Path]:
    """The definition files named, or in the folders named (default: the definitions)."""
    files: list[Path] = []
    for path in paths or (definitions,):
        files += definition_files(path) if path.is_dir() else [path]
    return files


def _others(files: list[Path], definitions: Path) -> list[tuple[Path, LoadResult]]:
    """The other services in the definitions folder, when files named are in it.

    A file added to the folder and checked on its own must not pass with an id, a title or a
    prefix that another service there already has: the app would refuse it.
    """
    if not definitions.is_dir():
        return []
    folder = definitions.resolve()
    named = {file.resolve() for file in files}
    if not any(file.parent == folder for file in named):
        return []
    others = [file for file in definition_files(definitions) if file.resolve() not in named]
    return [(file, load_definition(file)) for file in others]


def _count(number: int, noun: str) -> str:
    """'1 definition', '2 definitions'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _app(definitions: Path) -> Flask:
    from service_builder import create_app

    if not os.environ.get("DATABASE_URL"):  # a cron job without the servers' environment
        from service_builder.config import development_database

        click.echo(
            f"note: DATABASE_URL is not set: using the development database "
            f"{development_database()}",
            err=True,
        )
    return create_app(
        {
            "SERVICE_BUILDER_DEFINITIONS": str(definitions),
            "SERVICE_BUILDER_RELOAD": False,
            "SERVICE_BUILDER_COMMAND": True,  # not the app server: no start-up retry line
        }
    )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@definitions_option
def validate(paths: tuple[Path, ...], definitions: Path) -> None:
    """Check definitions; print every problem as file:line: path: message. A file that is not
    there is a problem like any other (exit 1: the contract's statuses are 0 and 1)."""
    from service_builder.definitions.clashes import clashes
    from service_builder.definitions.schema import webhook_target

    files = _files(paths, definitions)
    loaded = [(file, load_definition(file)) for file in files]
    found = clashes(_others(files, definitions) + loaded)
    for _file, result in loaded:
        result.errors += [error for error in found if error.file == result.file]
    problems = 0
    for _file, result in loaded:
        for error in sorted(result.errors, key=lambda error: error.line):
            click.echo(str(error))
        problems += len(result.errors)
    paying = [r.service.id for _f, r in loaded if r.service and r.service.payment]
    if paying and not os.environ.get("PAY_API_KEY"):  # a note, not a problem with the files
        click.echo(
            f"note: {', '.join(paying)} {'takes' if len(paying) == 1 else 'take'} payments, "
            "but PAY_API_KEY is not set here: "
            "residents would be told payments are not available",
            err=True,
        )
    for service in [r.service for _f, r in loaded if r.service]:
        for hook in service.webhooks:  # a note too: the variables are the server's
            if None in webhook_target(os.environ, hook.url_env, hook.secret_env):
                click.echo(
                    f"note: {service.id}'s webhook needs {hook.url_env} and {hook.secret_env}, "
                    "which are not both set here: it would not be sent",
                    err=True,
                )
    click.echo(
        f"{_count(len(files), 'definition')} checked, {_count(problems, 'problem')} found", err=True
    )
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--reading-age",
    default=9,
    show_default=True,
    help="Warn about text whose estimated reading age is above this.",
)
@definitions_option
def lint(paths: tuple[Path, ...], reading_age: int, definitions: Path) -> None:
    """Content checks in GOV.UK style: warnings only, exit 0 (invalid files exit 1)."""
    from service_builder.definitions.yaml_source import parse_yaml
    from service_builder.lint import lint as lint_service

    files = _files(paths, definitions)
    warnings = invalid = 0
    for file in files:
        result = load_definition(file)
        if result.service is None:
            invalid += 1
            click.echo(f"{file}: not checked: run `service-builder validate {file}`")
            continue
        source = parse_yaml(file.read_text(encoding="utf-8"))
        found = sorted(
            lint_service(result.service, reading_age),
            key=lambda warning: source.line_of(warning.path),
        )
        for warning in found:
            click.echo(
                f"{file}:{source.line_of(warning.path)}: {warning.where}: warning: "
                f"{warning.message}"
            )
        warnings += len(found)
    summary = f"{_count(len(files) - invalid, 'definition')} checked, {_count(warnings, 'warning')}"
    if invalid:  # said apart, not counted as checked (a designer's trial)
        summary += f"; {_count(invalid, 'definition')} not checked (invalid)"
    click.echo(summary, err=True)
    sys.exit(1 if invalid else 0)


@main.command()
@click.argument("service_id", metavar="SERVICE")
@click.option(
    "--format", "fmt", type=click.Choice(["mermaid", "svg"]), default="mermaid", show_default=True
)
@definitions_option
def graph(service_id: str, fmt: str, definitions: Path) -> None:
    """Draw the route map of a service: pages, next rules in words, skips and exits."""
    from service_builder.catalog import Catalog
    from service_builder.graph import mermaid, svg

    catalog = Catalog.load(definitions)
    service = catalog.get(service_id)
    if service is None:
        refused = catalog.refused_result(service_id)
        detail = ": it has problems (run `service-builder validate`)" if refused else ""
        known = ", ".join(sorted(catalog.services)) or "none"
        raise click.ClickException(
            f"no valid service with the id '{service_id}' in {definitions}/{detail} "
            f"(services there: {known}; use --definitions DIR or SERVICE_BUILDER_DEFINITIONS "
            "for another folder)"
        )
    click.echo(mermaid(service) if fmt == "mermaid" else svg(service), nl=False)


@main.command()
@definitions_option
def schema(definitions: Path) -> None:
    """Print the JSON Schema of the definition format (for editors)."""
    click.echo(json_schema_text())


@main.command("import")
@click.option(
    "--from", "platform", type=click.Choice(["xgov", "defra", "govuk-forms"]), required=True
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write {id}.yaml in (default: the definitions folder).",
)
@definitions_option
def import_command(platform: str, file: Path, out: Path | None, definitions: Path) -> None:
    """Write another platform's form definition in this format; list what was not imported."""
    from service_builder.importers import ImportFailed, import_definition

    try:
        imported = import_definition(platform, file)
    except ImportFailed as error:
        click.echo(f"{file}: not imported: {error}")
        sys.exit(1)
    for note in imported.notes:
        click.echo(f"{file}: {note.path}: not imported: {note.reason}")
    folder = out or definitions
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{imported.id}.yaml"
    target.write_text(imported.yaml(), encoding="utf-8")
    errors = load_definition(target).errors
    if errors:  # never leave an invalid definition where the app would try to serve it
        rejected = target.with_name(target.name + ".invalid")
        target.replace(rejected)
        for problem in errors:
            click.echo(str(problem).replace(str(target), str(rejected), 1))
        click.echo(f"{rejected}: not valid, so not written as {target.name}", err=True)
        sys.exit(1)
    click.echo(f"wrote {target} ({len(imported.notes)} not imported)", err=True)


@main.command()
@click.option("--service", "service_id", required=True, help="The service's id.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only submissions on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--with-case",
    is_flag=True,
    help="Add each case's status, outcome (why it was closed) and when it last changed.",
)
@definitions_option
def export(
    service_id: str, fmt: str, since: dt.datetime | None, with_case: bool, definitions: Path
) -> None:
    """Print a service's submissions to standard output."""
    from service_builder.exports import export_chunks, has_submissions

    app = _app(definitions)
    with app.app_context():
        catalog = app.extensions["service_builder"].catalog
        if not catalog.folder.is_dir():  # every service would look removed: raw answers only
            raise click.ClickException(f"the definitions folder {definitions} does not exist")
        service = catalog.get(service_id)
        if service is None and any(r.service_id in (service_id, None) for r in catalog.refused):
            raise click.ClickException(  # the broken file may be this service's
                f"the definition of '{service_id}' may have problems: run `service-builder "
                "validate`"
            )
        day = since.date() if since else None
        if service is None and not has_submissions(service_id):
            raise click.ClickException(f"no service or submissions with the id '{service_id}'")
        for chunk in export_chunks(service, service_id, fmt, day, with_case):
            click.echo(chunk, nl=False)
        if fmt == "json":
            click.echo()


@main.command()
@click.option("--service", "service_id", default=None, help="Only this service.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the JSON report here (and a readable HTML report beside it).",
)
@definitions_option
def a11y(service_id: str | None, report: Path | None, definitions: Path) -> None:
    """Run axe-core in Chromium on every page state of every service; exit 1 on violations."""
    from accessibility.cli import SweepUnavailable, run_selenium_sweep

    try:
        result = run_selenium_sweep(definitions, service_id, report)
    except SweepUnavailable as error:
        raise click.ClickException(str(error)) from None
    for line in result.describe_failures().splitlines():
        click.echo(line)
    click.echo(
        f"{len(result.checked)} page states checked with axe-core {result.axe_version} "
        f"in {result.seconds:.0f}s: {result.violations} violations, "
        f"{result.problems} other problems",
        err=True,
    )
    sys.exit(1 if result.failed else 0)


@main.command("create-user")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["agent", "caseworker", "supervisor", "admin"]), required=True
)
@click.option(
    "--team",
    "teams",
    multiple=True,
    help="A team whose services' cases they see (repeatable; agents and caseworkers).",
)
@click.option(
    "--every-team",
    is_flag=True,
    help="Every team the services name (as --team for each; none when no service has one).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--enable", is_flag=True, help="Let a disabled account sign in again (it stays disabled)."
)
@definitions_option
def create_user(
    email: str,
    role: str,
    teams: tuple[str, ...],
    every_team: bool,
    password_stdin: bool,
    enable: bool,
    definitions: Path,
) -> None:
    """Add a staff account (or reset its password and role; a disabled one stays disabled
    without --enable)."""
    from service_builder.staff.accounts import AccountError, find_user, save_user

    known = _check_teams(role, teams, definitions)
    if every_team:
        if role not in ("agent", "caseworker"):
            raise click.BadParameter(
                f"only agents and caseworkers have teams: {role}s see every team's cases",
                param_hint="--every-team",
            )
        teams = tuple(sorted(known))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise click.ClickException("the passwords do not match")
    app = _app(definitions)
    with app.app_context():
        was_disabled = (user := find_user(email)) is not None and user.disabled_at is not None
        try:
            created = save_user(email, password, role, enable=enable)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        if teams:
            from service_builder.cases import set_teams

            set_teams(find_user(email), teams)  # type: ignore[arg-type]
    email = email.strip().lower()
    click.echo(f"{'Created' if created else 'Updated'} {role} {email}")
    if was_disabled and enable:
        click.echo(f"{email} was disabled: it can sign in again")
    elif was_disabled:
        click.echo(f"{email} is disabled: it stays disabled; add --enable to let it sign in again")


def _check_teams(role: str, teams: tuple[str, ...], definitions: Path) -> set[str]:
    """Teams are the services' `team` values (returned); only agents and caseworkers are
    limited to theirs, so a mistyped team or one given to a supervisor is refused (exit 2)."""
    from service_builder.catalog import Catalog

    if teams and role not in ("agent", "caseworker"):
        raise click.BadParameter(
            f"only agents and caseworkers have teams: {role}s see every team's cases",
            param_hint="--team",
        )
    known = {s.team for s in Catalog.load(definitions).services.values() if s.team}
    unknown = sorted(set(teams) - known)
    if unknown:
        raise click.BadParameter(
            f"no service in {definitions}/ has the team {', '.join(map(repr, unknown))} "
            f"(teams there: {', '.join(sorted(known)) or 'none'})",
            param_hint="--team",
        )
    return known


@main.command("disable-user")
@click.argument("email")
@definitions_option
def disable_user(email: str, definitions: Path) -> None:
    """Stop a staff account signing in and end all its sessions (create-user --enable lets it
    sign in again)."""
    from service_builder.staff.accounts import disable_user as disable

    app = _app(definitions)
    with app.app_context():
        if not disable(email):
            raise click.ClickException(f"there is no staff account {email.strip().lower()}")
    click.echo(f"Disabled {email.strip().lower()} and ended its sessions")


@main.command()
@click.option("--once", is_flag=True, help="Send what is due now, then exit (for cron and tests).")
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Deliveries claimed at a time.",
)
@click.option(
    "--lease",
    "lease_seconds",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="Seconds a claim lasts; a dead worker's claims go to another worker after this.",
)
@definitions_option
def worker(once: bool, batch: int, lease_seconds: int, definitions: Path) -> None:
    """Send pending deliveries (webhooks, Notify emails), retrying failures."""
    import signal

    from service_builder.config import ConfigError
    from service_builder.database import UNREACHABLE, reason
    from service_builder.worker import Worker

    try:
        app = _app(definitions)  # its logging: one handler (service_builder.logs)
        with app.app_context():
            runner = Worker(batch=batch, lease=dt.timedelta(seconds=lease_seconds))
            runner.senders.warn_without_notify_key(app.extensions["service_builder"].catalog)
            signal.signal(signal.SIGTERM, lambda *_: runner.stop.set())
            if once:
                attempted = runner.run_once()
                unsent = f", {runner.not_sent} not sent (no Notify key)" if runner.not_sent else ""
                click.echo(
                    f"{_counted(attempted, 'delivery', 'deliveries')} attempted: "
                    f"{runner.sent} sent, {runner.failed} failed{unsent} (see /admin/deliveries)",
                    err=True,
                )
            else:
                with contextlib.suppress(KeyboardInterrupt):
                    runner.run()  # waits out an outage of the database
    except UNREACHABLE as error:  # --once, or a start that must migrate (outside production)
        raise click.ClickException(f"database unreachable ({reason(error)})") from None
    except ConfigError as error:  # a schema behind the code's, among others: one line
        raise click.ClickException(str(error)) from None


@main.command("dev-receiver")
@click.option("--port", default=5001, show_default=True)
@click.option(
    "--secret",
    default=lambda: os.environ.get("PARKING_CASE_SECRET", "development-secret"),
    show_default="PARKING_CASE_SECRET or development-secret",
    help="The webhook secret to check signatures with.",
)
def dev_receiver(port: int, secret: str) -> None:
    """(Development) Stand in for Notify, GOV.UK Pay and a case system on 127.0.0.1, logging
    what arrives."""
    import logging

    from service_builder.dev_receiver import serve
    from service_builder.payments.stand_in import STAND_IN_KEY

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    serve(port, secret, os.environ.get("PAY_API_KEY") or STAND_IN_KEY)


@main.command()
@definitions_option
def purge(definitions: Path) -> None:
    """Delete submissions past their service's retention_days, and abandoned drafts."""
    from service_builder.performance.rollup import purge_events
    from service_builder.retention import PurgeRefused
    from service_builder.retention import purge as run_purge
    from service_builder.staff.sessions import end_lapsed

    app = _app(definitions)
    with app.app_context():
        state = app.extensions["service_builder"]
        try:
            result = run_purge(
                state.catalog, app.config, removed_days=app.config["REMOVED_SERVICE_RETENTION_DAYS"]
            )
        except PurgeRefused as error:
            raise click.ClickException(str(error)) from None
        events = purge_events(app.config["EVENTS_RETENTION_DAYS"], dt.datetime.now(dt.UTC))
        lapsed = end_lapsed(app.config["STAFF_IDLE_TIMEOUT"], app.config["STAFF_SESSION_LIFETIME"])
    click.echo(
        f"Deleted {_counted(result.submissions, 'submission', 'submissions')} past retention and "
        f"{_counted(result.drafts, 'abandoned draft', 'abandoned drafts')}"
    )
    click.echo(f"Deleted {_counted(result.files, 'uploaded file', 'uploaded files')}")
    events_deleted = _counted(events, "performance event", "performance events")
    click.echo(f"Deleted {events_deleted}, keeping their daily counts")
    click.echo(f"Deleted {_counted(lapsed, 'timed-out staff sign-in', 'timed-out staff sign-ins')}")


def _counted(number: int, one: str, many: str) -> str:
    """'1 submission', '2 submissions': a command's counts (its output is in English only)."""
    return f"{number:,} {one if number == 1 else many}"


def _loaded_service(app: Any, service_id: str) -> Service:
    """The service the command names, or a clear refusal (exit 1)."""
    service = app.extensions["service_builder"].catalog.get(service_id)
    if service is None:
        raise click.ClickException(f"no service called {service_id!r}")
    return cast(Service, service)


@main.command()
@click.option("--service", "service_id", required=True, help="The service's id.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: the first).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@definitions_option
def stats(
    service_id: str,
    since: dt.datetime | None,
    until: dt.datetime | None,
    fmt: str,
    definitions: Path,
) -> None:
    """Print a service's performance figures, by channel, as JSON or CSV."""
    from service_builder.performance.report import print_stats

    _check_dates(since, until)
    app = _app(definitions)
    with app.app_context():
        service = _loaded_service(app, service_id)
        print_stats(service, since and since.date(), until and until.date(), fmt)


def _check_dates(since: dt.datetime | None, until: dt.datetime | None) -> None:
    """A reversed window is refused (exit 2), never silently empty."""
    latest = until or dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time())
    if since is not None and since > latest:
        end = f"--until ({until:%Y-%m-%d})" if until else "today"
        raise click.UsageError(f"--since ({since:%Y-%m-%d}) must be the same as or before {end}")


@main.command("open-data")
@click.option("--service", "service_id", required=True, help="The service's id.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: the first).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-", help="Default: stdout.")
@definitions_option
def open_data(
    service_id: str,
    since: dt.datetime | None,
    until: dt.datetime | None,
    out: TextIO,
    definitions: Path,
) -> None:
    """Write a service's weekly open-data CSV: counts only, by week and channel."""
    from service_builder.performance import opendata
    from service_builder.performance.stats import window

    _check_dates(since, until)
    app = _app(definitions)
    with app.app_context():
        service = _loaded_service(app, service_id)
        win = window(service.id, since and since.date(), until and until.date())
        opendata.write(service, win, out)


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if the committed files are out of date.")
def docs(check: bool) -> None:
    """Write docs/reference.md and docs/service-definition.schema.json from the schema."""
    from service_builder.config import ROOT
    from service_builder.reference_docs import render_reference

    outputs = {
        ROOT / "docs" / "reference.md": render_reference(),
        ROOT / "docs" / "service-definition.schema.json": json_schema_text() + "\n",
    }
    stale = [
        path
        for path, text in outputs.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if check:
        for path in stale:
            click.echo(f"{path} is out of date: run `make docs`")
        sys.exit(1 if stale else 0)
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
        click.echo(f"wrote {path}")


@main.command("db-revision")
@click.argument("message")
def db_revision(message: str) -> None:
    """(Developers) Write the migration that takes the schema to what models.py says."""
    from alembic import command
    from sqlalchemy import create_engine

    from service_builder.database import MIGRATIONS, alembic_config, upgrade

    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        upgrade(connection)
        number = len(list((MIGRATIONS / "versions").glob("[0-9]*.py"))) + 1
        command.revision(
            alembic_config(connection), message=message, autogenerate=True, rev_id=f"{number:04d}"
        )


@main.command("build-assets")
def build_assets_command() -> None:
    """Compile the council's CSS and hash the front-end assets into static/build/."""
    from service_builder.assets import build_assets
    from service_builder.config import load_config
    from service_builder.site import load_site

    manifest = build_assets(load_site(load_config()["SERVICE_BUILDER_SITE"]))
    for name, hashed in manifest.items():
        click.echo(f"{name} -> static/build/{hashed}")


@main.group()
def db() -> None:
    """The database: migrations."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied (the release step; production does not migrate
    when it starts)."""
    import secrets

    from sqlalchemy import create_engine, make_url

    from service_builder import config as settings
    from service_builder.database import upgrade

    # Migrating signs nothing, so it needs no SECRET_KEY; a random stand-in (long, as the
    # production check asks) keeps that check, and its warning, for serving only.
    config = settings.load_config({"SECRET_KEY": secrets.token_urlsafe(48)})
    url = config["SQLALCHEMY_DATABASE_URI"]
    local = not os.environ.get("DATABASE_URL")
    if local:
        (settings.ROOT / "instance").mkdir(exist_ok=True)
    engine = create_engine(url, **config["SQLALCHEMY_ENGINE_OPTIONS"])  # its timeouts too
    with engine.begin() as connection:
        before, after = upgrade(connection)
    engine.dispose()
    where = f"database {make_url(url).render_as_string(hide_password=True)}"
    if local:
        where += " (DATABASE_URL is not set: the local SQLite database)"
    if not after.known:  # a rolling release: the older servers must still start
        click.echo(
            f"{where}: at revision {after.revision}, which this code does not have (a newer "
            "release migrated it): nothing changed"
        )
    elif before.found == after.found:
        click.echo(f"{where}: already at revision {after.revision}: database is up to date")
    else:
        click.echo(f"{where}: migrated from revision {before.revision} to {after.revision}")
