"""The admin area, previews, versions and development reload."""

from __future__ import annotations

import logging
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service_builder.models import AuditEvent, Draft, Submission, db
from service_builder.staff.accounts import save_user
from tests.conftest import copy_fixture, empty_database, make_app

PASSWORD = "correct horse battery"


def signed_in(app: Flask, role: str = "admin") -> FlaskClient:
    with app.app_context():
        save_user(f"{role}@example.com", PASSWORD, role)
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": f"{role}@example.com", "password": PASSWORD})
    return client


def test_admin_pages_need_the_admin_role(app: Flask, client: FlaskClient) -> None:
    assert client.get("/admin/").location.startswith("/staff/sign-in")
    assert signed_in(app, "supervisor").get("/admin/").status_code == 403
    assert signed_in(app, "admin").get("/admin/").status_code == 200


def test_the_staff_home_leads_each_role_to_its_own_pages(app: Flask) -> None:
    admin_pages = ('href="/admin/"', 'href="/admin/deliveries"')
    home = signed_in(app, "admin").get("/staff/").get_data(as_text=True)
    assert all(link in home for link in admin_pages) and 'href="/admin/performance' in home
    home = signed_in(app, "supervisor").get("/staff/").get_data(as_text=True)
    assert not any(link in home for link in admin_pages) and 'href="/admin/performance' in home
    home = signed_in(app, "agent").get("/staff/").get_data(as_text=True)
    assert not any(link in home for link in admin_pages) and "/admin/performance" not in home


def test_the_admin_home_lists_services_versions_and_problems(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    copy_fixture("branching.yaml", folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: B\npages: []\n")
    app = make_app(folder)
    empty_database(app)
    html = signed_in(app).get("/admin/").get_data(as_text=True)
    service = app.extensions["service_builder"].catalog.get("branching")
    assert "Branching scenario" in html and service.version in html
    assert "broken.yaml" in html and "pages: must not be empty" in html


def test_a_service_page_shows_its_route_map_and_every_route(app: Flask) -> None:
    client = signed_in(app)
    html = client.get("/admin/services/book-bulky-waste").get_data(as_text=True)
    assert "<svg" in html and "Route map of Book a bulky waste collection" in html
    assert "if item_count is at most 6, go to fridge-gas" in html  # the text version
    assert html.count('name="route"') >= 9 * 2  # every route, as resident and as staff
    assert "(‘By email’)</span>" in html  # what tells a route apart from the next
    assert "(with Email address)</span>" in html
    permits = client.get("/admin/services/apply-recycling-centre-permit").get_data(as_text=True)
    assert "(1 item)</span>" in permits and "(2 items)</span>" in permits  # a repeat's counts
    svg = client.get("/admin/services/book-bulky-waste/graph.svg")
    assert svg.mimetype == "image/svg+xml"
    service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
    tree = ET.fromstring(svg.get_data(as_text=True))
    ns = "{http://www.w3.org/2000/svg}"
    assert tree.get("role") == "img"
    title = tree.find(f"{ns}title")
    assert title is not None and title.text == "Route map of Book a bulky waste collection"
    assert len(tree.findall(f"{ns}rect")) == len(service.pages) + 1  # and check-your-answers
    shown = " ".join(span.text or "" for span in tree.iter(f"{ns}tspan"))
    assert all(page.id in shown for page in service.pages if page.show_when is None)


def test_preview_jumps_to_a_page_with_the_answers_that_reach_it(app: Flask) -> None:
    client = signed_in(app)
    from service_builder.explorer import explore

    service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
    routes = explore(service, "resident")
    index, route = next((i, r) for i, r in enumerate(routes) if "access" in r.page_ids)
    step = route.page_ids.index("access")
    response = client.post(
        "/admin/services/book-bulky-waste/preview",
        data={"audience": "resident", "route": index, "step": step},
    )
    base = "/admin/preview/resident/book-bulky-waste"
    assert response.location == f"{base}/access"
    page = client.get(f"{base}/access")
    assert page.status_code == 200  # on the route
    assert "You are previewing what residents see" in page.get_data(as_text=True)
    previous = route.page_ids[step - 1]
    assert client.get(f"{base}/{previous}").status_code == 200
    staff = client.post(
        "/admin/services/book-bulky-waste/preview",
        data={"audience": "staff", "route": 0, "step": 1},
    )
    assert staff.location.startswith("/admin/preview/staff/book-bulky-waste/")
    assert client.get(staff.location).status_code == 200
    bad = client.post(
        "/admin/services/book-bulky-waste/preview",
        data={"audience": "staff", "route": 999, "step": 0},
    )
    assert bad.status_code == 400


def test_a_preview_is_marked_and_never_stores_or_sends_a_form(app: Flask) -> None:
    from tests.web.test_every_service import ROUTES
    from tests.web.walker import Walker

    client = signed_in(app)
    service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
    route = next(r for s, r in ROUTES if s.id == service.id and not r.exit_page)
    started = client.post(
        "/admin/services/book-bulky-waste/preview",
        data={"audience": "resident", "route": 0, "step": 0},
    )
    base = "/admin/preview/resident/book-bulky-waste"
    assert started.location.startswith(f"{base}/")
    Walker(client, service, prefix="/admin/preview/resident").walk(route)
    summary = client.get(f"{base}/check-answers").get_data(as_text=True)
    assert "You are previewing" in summary
    sent = client.post(f"{base}/check-answers")
    assert sent.status_code == 200
    assert "Preview finished: nothing was sent" in sent.get_data(as_text=True)
    assert client.get(f"{base}/confirmation").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []
        assert {d.channel for d in db.session.scalars(select(Draft))} == {"preview"}
    assert (
        client.get("/book-bulky-waste/check-answers").location != "/book-bulky-waste/confirmation"
    )
    anonymous = app.test_client()
    assert anonymous.get(f"{base}/check-answers").location.startswith("/staff/sign-in")


def test_submissions_record_the_definition_version(app: Flask, client: FlaskClient) -> None:
    base = "/book-bulky-waste"
    client.post(f"{base}/items", data={"items": ["sofa"]})
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.service_id == "book-bulky-waste"
    service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
    from tests.web.test_every_service import ROUTES
    from tests.web.walker import Walker

    route = next(r for s, r in ROUTES if s.id == service.id and not r.exit_page)
    Walker(client, service).walk(route)
    client.post(f"{base}/check-answers")
    with app.app_context():
        assert db.session.scalars(select(Submission)).one().definition_version == service.version


def test_development_reloads_edits_and_shows_problems(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    path = copy_fixture("branching.yaml", folder)
    app = make_app(folder, SERVICE_BUILDER_ENV="development", SERVICE_BUILDER_RELOAD=True)
    empty_database(app)
    client = app.test_client()
    assert "How old are you?" in client.get("/branching/age").get_data(as_text=True)
    original = path.read_text()
    _rewrite(path, original.replace("How old are you?", "What is your age?"))
    assert "What is your age?" in client.get("/branching/age").get_data(as_text=True)
    _rewrite(path, original.replace("goto: too-young", "goto: too-yung"))
    broken = client.get("/branching/age")
    assert broken.status_code == 503
    assert "no page has the id &#39;too-yung&#39;" in broken.get_data(as_text=True)
    _rewrite(
        path, original.replace("\npages:\n  - id: age", "\npages:\n\t- id: age", 1)
    )  # not YAML at all
    unread = client.get("/branching/age")
    assert unread.status_code == 503 and "not valid YAML" in unread.get_data(as_text=True)
    _rewrite(path, original)
    assert client.get("/branching/age").status_code == 200
    admin = signed_in(app)
    versions = admin.get("/admin/services/branching").get_data(as_text=True)
    assert (
        len(re.findall(r"\d{4}, [\w:]+</td>", versions)) >= 2
    )  # the original and the edited version, UK time


def test_production_hides_definition_problems(tmp_path: Path) -> None:
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\ntitle: B\npages: []\n")
    app = make_app(folder, SERVICE_BUILDER_ENV="production")
    response = app.test_client().get("/broken/")
    assert response.status_code == 404
    assert "pages" not in response.get_data(as_text=True).split("<main")[1]


def _rewrite(path: Path, text: str) -> None:
    """Write and make sure the modification time moves (filesystems have coarse clocks)."""
    before = path.stat().st_mtime
    path.write_text(text)
    if path.stat().st_mtime == before:
        time.sleep(0.01)
        import os

        os.utime(path, (before + 1, before + 1))


@pytest.fixture(autouse=True)
def _no_leaks(app: Flask, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test here starts from an empty database, and no staff email or password
    reaches the log."""
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(func.count()).select_from(table)).scalar_one()
            assert rows == 0, f"{table.name} is not empty at the start of the test"
    yield
    assert PASSWORD not in caplog.text
    assert "@example.com" not in caplog.text


def test_preview_past_a_repeat_page_adds_its_items(app: Flask) -> None:
    client = signed_in(app)
    from service_builder.explorer import explore

    service = app.extensions["service_builder"].catalog.get("apply-recycling-centre-permit")
    routes = explore(service, "resident")
    index, route = next((i, r) for i, r in enumerate(routes) if "three-vehicles" in r.page_ids)
    step = route.page_ids.index("three-vehicles")
    response = client.post(
        f"/admin/services/{service.id}/preview",
        data={"audience": "resident", "route": index, "step": step},
    )
    assert response.location == f"/admin/preview/resident/{service.id}/three-vehicles"
    assert client.get(response.location).status_code == 200  # count >= 3 holds
    listing = client.get(f"/admin/preview/resident/{service.id}/vehicles").get_data(as_text=True)
    assert listing.count("Remove<span") == 3


def test_an_admin_downloads_a_services_sent_forms_and_each_download_is_recorded(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.test_every_service import ROUTES
    from tests.web.walker import Walker

    service = app.extensions["service_builder"].catalog.get("report-fly-tipping")
    route = next(r for s, r in ROUTES if s.id == service.id and not r.exit_page)
    Walker(client, service).walk(route)
    assert client.post(f"/{service.id}/check-answers").status_code == 302
    with app.app_context():
        reference = db.session.scalars(select(Submission.reference)).one()
    admin = signed_in(app)
    page = admin.get(f"/admin/services/{service.id}/submissions").get_data(as_text=True)
    assert "1 sent form." in page and reference in page and "Download as CSV" in page
    for url, title in (
        (f"/admin/services/{service.id}", "Admin"),
        (f"/admin/services/{service.id}/submissions", "Sent forms"),
        (f"/admin/services/{service.id}/performance", "Performance"),
    ):  # the layout adds the service's name once
        html = admin.get(url).get_data(as_text=True)
        assert f"<title>{title} – {service.title} – " in html, url
        assert html.count(service.title, 0, html.index("</title>")) == 1, url
    as_csv = admin.get(f"/admin/services/{service.id}/submissions.csv")
    assert as_csv.mimetype == "text/csv"
    assert as_csv.headers["Content-Disposition"].startswith(f'attachment; filename="{service.id}-')
    text = as_csv.get_data(as_text=True)
    assert text.startswith("\ufeffreference,submitted_at,channel,") and reference in text
    as_json = admin.get(f"/admin/services/{service.id}/submissions.json")
    assert [record["reference"] for record in as_json.get_json()] == [reference]
    with_cases = admin.get(f"/admin/services/{service.id}/submissions.json?with=case")
    assert [record["case"]["status"] for record in with_cases.get_json()] == ["received"]
    cases_csv = admin.get(f"/admin/services/{service.id}/submissions.csv?with=case")
    assert cases_csv.get_data(as_text=True).split("\n")[0].endswith(",case_updated_at")
    assert admin.get(f"/admin/services/{service.id}/submissions.xml").status_code == 404
    assert (
        signed_in(app, "supervisor")
        .get(f"/admin/services/{service.id}/submissions.csv")
        .status_code
        == 403
    )
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "exported")
        ).all()
    assert details == [
        f"{service.id}, as CSV",
        f"{service.id}, as JSON",
        f"{service.id}, as JSON, with cases",
        f"{service.id}, as CSV, with cases",
    ]
    monkeypatch.setattr("service_builder.web.admin.DOWNLOAD_MOST", 0)  # more than a worker
    page = admin.get(f"/admin/services/{service.id}/submissions").get_data(as_text=True)
    assert "too many to download here" in page and "Download as CSV" not in page
    refused = admin.get(f"/admin/services/{service.id}/submissions.csv")
    assert refused.location == f"/admin/services/{service.id}/submissions"
