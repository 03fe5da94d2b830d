"""`service-builder import`: each fixture format imported, validated, and walked route by route."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.catalog import Catalog
from service_builder.cli import main
from service_builder.definitions import Service, load_definition
from service_builder.explorer import Route, explore
from service_builder.importers import read_source
from service_builder.importers.xgov import CONTENT
from service_builder.models import Submission, db
from tests.conftest import empty_database, make_app
from tests.importers.helpers import FIXTURES, V1_FIXTURES, import_all, imported
from tests.web.walker import Walker, assert_stored_shape

FOLDER = import_all(V1_FIXTURES)
CATALOG = Catalog.load(FOLDER)
SERVICES = sorted(CATALOG.services.values(), key=lambda service: service.id)
ROUTES = [(service, route) for service in SERVICES for route in explore(service, "resident")]
LINE = re.compile(r"^(?P<file>\S+): (?P<path>\S+): not imported: (?P<reason>.+)$")


def test_every_fixture_imports_to_a_valid_service() -> None:
    assert not CATALOG.refused, [str(e) for r in CATALOG.refused for e in r.errors]
    assert len(SERVICES) == len(V1_FIXTURES)


@pytest.mark.parametrize(("platform", "name"), V1_FIXTURES)
def test_the_command_writes_a_valid_file_and_names_what_it_left_out(
    tmp_path: Path, platform: str, name: str
) -> None:
    source = FIXTURES / name
    result = CliRunner().invoke(
        main, ["import", "--from", platform, str(source), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    written = list(tmp_path.glob("*.yaml"))
    assert len(written) == 1
    assert not load_definition(written[0]).errors
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines, "every fixture has something that cannot come across"
    for line in lines:
        match = LINE.match(line)
        assert match, line
        assert match["file"] == str(source)


def test_the_default_folder_is_the_definitions_folder(tmp_path: Path) -> None:
    source = FIXTURES / "govuk-forms-allotment.json"
    result = CliRunner().invoke(
        main, ["import", "--from", "govuk-forms", str(source), "--definitions", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "apply-for-an-allotment.yaml").exists()


def test_a_file_of_another_kind_is_refused_with_exit_1(tmp_path: Path) -> None:
    source = tmp_path / "notes.json"
    source.write_text(json.dumps({"title": "not a form"}), encoding="utf-8")
    for platform in ("xgov", "defra", "govuk-forms"):
        result = CliRunner().invoke(
            main, ["import", "--from", platform, str(source), "--out", str(tmp_path)]
        )
        assert result.exit_code == 1
        assert f"{source}: not imported:" in result.output
    assert not list(tmp_path.glob("*.yaml"))


def _input_components(data: dict[str, Any]) -> list[str]:
    """Paths of every input component in an XGov or DEFRA source."""
    return [
        f"pages[{p}].components[{c}]"
        for p, page in enumerate(data["pages"])
        for c, component in enumerate(page.get("components") or [])
        if component["type"] not in CONTENT
    ]


@pytest.mark.parametrize(("platform", "name"), [f for f in V1_FIXTURES if f[0] != "govuk-forms"])
def test_every_input_component_becomes_a_question_or_is_named(platform: str, name: str) -> None:
    data = read_source(FIXTURES / name)
    result = imported(platform, name)
    questions = [q for page in result.service["pages"] for q in page.get("questions") or []]
    named = {note.path for note in result.notes}
    inputs = _input_components(data)
    left_out = [path for path in inputs if path in named]
    assert len(questions) + len(left_out) == len(inputs), (len(questions), left_out)


def test_every_govuk_forms_step_becomes_a_page_of_questions() -> None:
    data = read_source(FIXTURES / "govuk-forms-allotment.json")
    result = imported("govuk-forms", "govuk-forms-allotment.json")
    question_pages = [p for p in result.service["pages"] if p.get("questions")]
    assert len(question_pages) == len(data["steps"])


@pytest.fixture
def imported_app() -> Iterator[Flask]:
    app = make_app(FOLDER)
    empty_database(app)
    yield app
    empty_database(app)


def _route_id(value: Any) -> str:
    if isinstance(value, Route):
        return "+".join(value.page_ids)
    return str(getattr(value, "id", value))


@pytest.mark.parametrize(("service", "route"), ROUTES, ids=_route_id)
def test_every_route_of_every_imported_service_can_be_walked(
    imported_app: Flask, service: Service, route: Route
) -> None:
    client: FlaskClient = imported_app.test_client()
    walker = Walker(client, service)
    walker.walk(route)
    if route.exit_page:
        return
    assert client.get(walker.url("check-answers")).status_code == 200
    sent = client.post(walker.url("check-answers"))
    assert sent.location == walker.url("confirmation")
    with imported_app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.answers == route.answers
        assert_stored_shape(service, submission.answers)


def test_each_imported_service_has_routes_to_walk() -> None:
    for service in SERVICES:
        routes = explore(service, "resident")
        assert len(routes) >= 2, service.id  # every fixture branches or ends in an exit


# -- what the readers make of each construct ---------------------------------------------------


def _page(result: Any, page_id: str) -> dict[str, Any]:
    return next(page for page in result.service["pages"] if page["id"] == page_id)


def _reasons(result: Any) -> dict[str, str]:
    return {note.path: note.reason for note in result.notes}


def test_xgov_default_link_listed_first_becomes_the_last_rule() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    rules = _page(result, "animal-kind")["next"]
    assert rules[-1] == {"goto": "how-many"}
    assert all("when" in rule for rule in rules[:-1])
    assert rules[0] == {"when": {"animal_kind": "pet"}, "goto": "not-licensable"}


def test_xgov_named_and_nested_conditions_become_any_and_all() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    assert _page(result, "animal-kind")["next"][1]["when"] == {
        "any": [{"animal_kind": "cat"}, {"animal_kind": "snake"}]
    }
    assert _page(result, "how-many")["next"][0]["when"] == {
        "any": [
            {"animal_count": {"gt": 3}},
            {"all": [{"animal_kind": {"ne": "primate"}}, {"animal_count": {"gte": 2}}]},
        ]
    }


def test_xgov_conditions_with_no_equivalent_are_reported_and_their_links_dropped() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    reasons = _reasons(result)
    assert "dates relative to today" in reasons["pages[8].next[1]"]
    assert "'is longer than' has no equivalent" in reasons["pages[7].next[2]"]
    assert "next" not in _page(result, "insurance")  # only the default link was left


def test_random_component_names_become_ids_from_the_question() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    ids = [q["id"] for page in result.service["pages"] for q in page.get("questions") or []]
    assert "full_name" in ids  # the source named it gGtYsO
    assert "keeper_email" in ids  # a readable name is kept, in snake_case
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", qid) for qid in ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p["id"]) for p in result.service["pages"])


def test_xgov_fields_keep_their_limits_and_autocomplete() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    name = _page(result, "your-name")["questions"][0]
    assert name["max_length"] == 70 and name["autocomplete"] == "name" and name["width"] == 20
    size = _page(result, "enclosure")["questions"][0]
    assert (size["min"], size["max"], size["integer"], size["suffix"]) == (1, 10000, True, "m²")
    assert _page(result, "enclosure")["questions"][1]["min_selected"] == 1
    phone = _page(result, "contact")["questions"][1]
    assert phone["type"] == "phone" and phone["required"] is False
    notes = _page(result, "vet")["questions"][1]
    assert (notes["type"], notes["max_words"], notes["rows"]) == ("textarea", 150, 4)
    assert _page(result, "insurance")["questions"][1]["not_after"] == "today"


def test_display_components_become_safe_markdown() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    start = result.service["start"]["body"]
    assert "- the **species** of each animal" in start
    assert "[guidance on GOV.UK](https://www.gov.uk/guidance/dangerous-wild-animals)" in start
    assert "alert" not in start and "<" not in start
    exit_page = _page(result, "not-licensable")
    assert exit_page["type"] == "exit" and "**Why is that?**" in exit_page["body"]
    pond = imported("defra", "defra-v1-pond-licence.yaml")
    body = _page(pond, "pond-site")["body"]
    assert body.startswith("**Finding your grid reference**") and "- open the map" in body
    assert "javascript" not in body and "**Do not**" in body


def test_fees_and_outputs_are_reported_without_copying_secrets() -> None:
    result = imported("xgov", "xgov-dog-licence.json")
    reasons = _reasons(result)
    assert "£350" in reasons["fees[0]"] and "payments feature" in reasons["fees[0]"]
    assert "when 'isCat'" in reasons["fees[1]"]
    assert "email" in reasons["outputs[0]"]
    assert result.service["declaration"] == "I confirm the information I have given is **correct**."
    assert result.service["confirmation"]["title"] == "Application received"


def test_defra_grid_references_become_text_with_a_pattern() -> None:
    result = imported("defra", "defra-v1-pond-licence.yaml")
    grid = {q["id"]: q for q in _page(result, "pond-site")["questions"]}
    assert re.fullmatch(grid["site_grid_ref"]["pattern"], "TQ 30259 80354")
    assert re.fullmatch(grid["site_east_north"]["pattern"], "530259, 180354")
    assert re.fullmatch(grid["site_lat_long"]["pattern"], "51.5074, -0.1278")
    assert "drawing on a map" in _reasons(result)["pages[0].components[5]"]


def test_defra_v1_page_conditions_and_terminal_pages() -> None:
    result = imported("defra", "defra-v1-pond-licence.yaml")
    assert _page(result, "newts")["show_when"] == {
        "all": [{"pond_area": {"gte": 50}}, {"pond_use": "wildlife"}]
    }
    assert _page(result, "cannot-apply")["type"] == "exit"
    assert _page(result, "land-owner")["next"][0] == {
        "when": {"owns_land": "no"},
        "goto": "cannot-apply",
    }
    declaration = _page(result, "declaration")
    assert declaration["questions"][0]["type"] == "checkboxes"
    assert "- let an officer visit the site" in declaration["body"]


def test_defra_v2_list_item_conditions_and_condition_references() -> None:
    result = imported("defra", "defra-v2-tree-works.json")
    assert _page(result, "felling-date")["show_when"] == {"work_kinds": {"contains": "fell"}}
    assert _page(result, "replanting")["show_when"] == {
        "all": [{"work_kinds": {"contains": "fell"}}, {"tpo_known": {"ne": "yes"}}]
    }
    assert _page(result, "tree-location")["next"] == [
        {"when": {"tpo_known": "yes"}, "goto": "protected-tree"},
        {"goto": "work-type"},
    ]


def test_govuk_forms_routes_exits_and_skips() -> None:
    result = imported("govuk-forms", "govuk-forms-allotment.json")
    assert _page(result, "live-aldermoor")["next"][0] == {
        "when": {"live_aldermoor": "no"},
        "goto": "cannot-apply-allotment",
    }
    assert _page(result, "cannot-apply-allotment")["type"] == "exit"
    assert _page(result, "applying-group")["next"][0]["goto"] == "check-answers"
    assert _page(result, "grow")["next"] == [{"goto": "applying-group"}]  # the secondary skip
    grow = _page(result, "grow")["questions"][0]
    assert grow["exclusive"] == "none" and grow["options"][-1]["label"] == "None of the above"
    names = [q["autocomplete"] for q in _page(result, "name")["questions"]]
    assert names == ["honorific-prefix", "given-name", "family-name"]
    assert result.service["privacy_url"] == "https://www.aldermoor.example/privacy"
    assert "payment_url" in _reasons(result)


def test_the_yaml_reads_in_the_order_a_designer_writes() -> None:
    text = imported("govuk-forms", "govuk-forms-allotment.json").yaml()
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert keys[:3] == ["id", "title", "pages"]
    assert yaml.safe_load(text)["pages"][0]["id"] == "name"
    assert "\n\n  - id: live-aldermoor\n" in text


def test_a_result_that_does_not_validate_is_kept_aside_with_exit_1(tmp_path: Path) -> None:
    loop = {
        "startPage": "/a",
        "pages": [
            {
                "path": "/a",
                "title": "A",
                "components": [{"type": "TextField", "name": "first", "title": "First"}],
                "next": [{"path": "/b"}],
            },
            {
                "path": "/b",
                "title": "B",
                "components": [{"type": "TextField", "name": "second", "title": "Second"}],
                "next": [{"path": "/a"}],
            },
        ],
    }
    source = tmp_path / "loop.json"
    source.write_text(json.dumps(loop), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", "--from", "xgov", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert not list(out.glob("*.yaml"))  # the app never sees it
    assert (out / "loop.yaml.invalid").exists()
    assert "loop.yaml.invalid:" in result.stdout
