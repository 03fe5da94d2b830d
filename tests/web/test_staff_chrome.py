"""Every page behind staff sign-in wears the staff header: its menu and Sign out, in English,
without the resident's phase banner, feedback link or language switch."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from service_builder.cases import set_teams
from service_builder.models import StaffUser, db
from service_builder.staff.accounts import save_user
from tests.web.test_staff import DISCOUNT, PASSWORD, finish_discount, sign_in, start_discount

SERVICE = DISCOUNT.removeprefix("/staff/")
EXEMPT = {
    "staff.printable": "the resident's printout: nothing of the staff pages on paper",
    "staff.sign_in": "before sign-in",
    "case_files.download": "a file, not a page",
    "admin.graph": "an SVG image",
    "admin.download": "a CSV or JSON file, not a page",
}
SIGN_OUT = re.compile(r'<form method="post" action="/staff/sign-out"')


def staff_get_rules(app: Flask) -> list[Rule]:
    """Every GET route under /staff and /admin that is a page, from the app's URL map."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith(("/staff", "/admin"))
            and "GET" in (rule.methods or ())
            and rule.endpoint not in EXEMPT
            and "item" not in rule.arguments  # repeat items: the discount has none
        ),
        key=lambda rule: rule.rule,
    )


def test_every_staff_and_admin_page_has_the_staff_header(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        save_user("admin@example.com", PASSWORD, "admin")
    client.get(f"{DISCOUNT.removeprefix('/staff')}/?lang=cy")  # the resident's language, kept
    sign_in(client, "admin@example.com")
    start_discount(client)
    sent = re.search(
        r"CTD-[0-9A-Z]{4}-[0-9A-Z]{4}",
        client.get(finish_discount(client).location).get_data(as_text=True),
    )
    assert sent is not None
    draft = start_discount(client)
    values = {"service_id": SERVICE, "page_id": "account-number"}
    walked = 0
    for rule in staff_get_rules(app):
        reference = draft if rule.endpoint == "staff.draft" else sent.group(0)
        url = rule.build({**values, "reference": reference}, append_unknown=False)
        assert url is not None
        response = client.get(url[1], follow_redirects=True)
        where = f"{rule.rule} ({url[1]})"
        assert response.status_code == 200, where
        html = response.get_data(as_text=True)
        assert SIGN_OUT.search(html), f"no Sign out on {where}"
        assert 'href="/staff/cases"' in html and 'href="/staff/"' in html, where
        if not rule.endpoint.startswith("preview"):  # a preview shows the resident's page
            assert "govuk-phase-banner" not in html, where
            assert "app-language-switch" not in html, where
            assert '<html lang="en"' in html, where
        walked += 1
    assert walked >= 20


def test_the_cases_menu_item_is_only_for_staff_with_cases_to_see(app: Flask) -> None:
    """A contact-centre agent (in no team) has no cases: no dead-end menu item."""
    with app.app_context():
        save_user("agent@example.com", PASSWORD, "agent")
        save_user("worker@example.com", PASSWORD, "agent")
        set_teams(
            db.session.scalars(select(StaffUser).filter_by(email="worker@example.com")).one(),
            ["revenues"],
        )
    for email, shown in (("agent@example.com", False), ("worker@example.com", True)):
        client = app.test_client()
        sign_in(client, email)
        html = client.get("/staff/").get_data(as_text=True)
        assert ('href="/staff/cases"' in html) is shown, email
        assert 'href="/admin/"' not in html  # the admin area only for admins


def test_admins_have_the_admin_area_in_the_menu(app: Flask) -> None:
    """A trial: the admin area was reached only from a link in the body of staff home."""
    with app.app_context():
        save_user("admin@example.com", PASSWORD, "admin")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    html = client.get("/staff/cases").get_data(as_text=True)
    menu = html[html.index('aria-label="Staff menu"') :]
    assert 'href="/admin/"' in menu[: menu.index("</nav>")]


def test_a_staff_page_not_found_leads_back_to_the_staff_home(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        save_user("agent@example.com", PASSWORD, "agent")
    sign_in(client, "agent@example.com")
    for missing in ("/staff/submissions/NOPE-NOPE-NOPE", "/staff/no-such-service/", "/admin/x/y"):
        page = client.get(missing)
        assert page.status_code == 404
        assert '<a class="govuk-link" href="/staff/">Go to the staff home page</a>' in page.text
    for resident_page in ("/no-such-service/", "/admin-fees/"):  # a service may be so named
        resident = client.get(resident_page).text
        assert "Go to the list of services" in resident and "staff home" not in resident
