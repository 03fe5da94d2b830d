"""Hand-written journeys (tests/fixtures/journeys/*.yaml), driven over HTTP.

Each journey lists what a person posts on each page, where that takes them, the Back link
they see, and the exact submission expected. Nothing here comes from the explorer, so a
bug that the explorer and the runner share cannot pass unseen.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from service_builder.models import Submission, db
from tests.conftest import FIXTURES, empty_database, make_app
from tests.html_checks import parse_page

JOURNEYS = Path(__file__).resolve().parent.parent / "fixtures" / "journeys"
BACK_LINK = re.compile(r'<a href="([^"]*)" class="govuk-back-link"')


def _cases() -> list[Any]:
    cases = []
    for path in sorted(JOURNEYS.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        definition = (FIXTURES / spec["definition"]).resolve()
        for journey in spec["journeys"]:
            marks = (
                [pytest.mark.xfail(reason=journey["xfail"], strict=True)]
                if "xfail" in journey
                else []
            )
            cases.append(
                pytest.param(definition, journey, id=f"{path.stem}: {journey['name']}", marks=marks)
            )
    return cases


@pytest.mark.parametrize(("definition", "journey"), _cases())
def test_the_journey_sends_exactly_what_the_person_gave(
    tmp_path: Path, definition: Path, journey: dict[str, Any]
) -> None:
    shutil.copyfile(definition, tmp_path / definition.name)
    app = make_app(tmp_path)
    empty_database(app)
    service = yaml.safe_load(definition.read_text(encoding="utf-8"))["id"]
    client = app.test_client()
    base = f"/{service}"
    for step in journey["steps"]:
        url = f"{base}/{step['page']}"
        page = client.get(url)
        assert page.status_code == 200, (step["page"], page.status_code, page.location)
        if "back" in step:
            back = BACK_LINK.search(page.get_data(as_text=True))
            assert back is not None, f"{step['page']} has no Back link"
            assert back.group(1) == f"{base}/{step['back']}", step["page"]
        response = client.post(url, data=step["post"])
        assert response.status_code == 302, (
            step["page"],
            parse_page(response.get_data(as_text=True)).error_messages,
        )
        assert response.location == f"{base}/{step['goes_to']}", step["page"]
    if "exit" in journey:
        assert client.get(f"{base}/check-answers").location == f"{base}/{journey['exit']}"
        assert client.post(f"{base}/check-answers").status_code in (302, 400)
        with app.app_context():
            assert db.session.scalars(select(Submission)).all() == []
        return
    assert client.get(f"{base}/check-answers").status_code == 200
    sent = client.post(f"{base}/check-answers")
    assert sent.location == f"{base}/confirmation"
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.service_id == service
        assert submission.answers == journey["submitted"]
        assert submission.channel == "online"


def test_every_journey_file_names_a_definition_and_its_journeys() -> None:
    files = sorted(JOURNEYS.glob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (FIXTURES / spec["definition"]).is_file(), path.name
        for journey in spec["journeys"]:
            assert ("submitted" in journey) != ("exit" in journey), journey["name"]
            assert all({"page", "post", "goes_to"} <= set(step) for step in journey["steps"])
