"""The performance pages: who may see them, what they show, filters, charts and tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.staff.accounts import save_user
from tests.html_checks import parse_page
from tests.performance.journeys import (
    PASSWORD,
    SERVICE,
    assisted,
    complete,
    go,
    online,
    pothole_app,
)

PAGE = f"/admin/services/{SERVICE}/performance"


@pytest.fixture
def app() -> Iterator[Flask]:
    yield from pothole_app()


def signed_in(app: Flask, role: str) -> FlaskClient:
    email = f"{role}@example.com"
    with app.app_context():
        save_user(email, PASSWORD, role)
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": email, "password": PASSWORD})
    return client


def drive(app: Flask) -> None:
    first = online(app)
    go(first, "", "where", in_area="yes")
    assert go(first, "", "details", size="") == 400
    complete(first)
    second = online(app)
    go(second, "", "where", in_area="yes")
    go(second, "", "details")
    complete(assisted(app, "agent2@example.com"), "/staff")
    first.post(f"/{SERVICE}/feedback", data={"satisfaction": "satisfied"})


@pytest.mark.parametrize(
    "url", [PAGE, "/admin/performance", f"/admin/services/{SERVICE}/definition"]
)
def test_only_supervisors_and_admins_see_performance(app: Flask, url: str) -> None:
    assert app.test_client().get(url).status_code == 302  # to sign-in
    assert signed_in(app, "agent").get(url).status_code == 403
    assert signed_in(app, "supervisor").get(url).status_code == 200
    assert signed_in(app, "admin").get(url).status_code == 200


def test_the_page_shows_kpis_funnel_hotspots_and_trend(app: Flask) -> None:
    drive(app)
    html = signed_in(app, "supervisor").get(PAGE).get_data(as_text=True)
    assert "66.7% (2 sent of 3 started)" in html
    assert "50.0% of all forms sent were sent online" in html
    assert "100.0% satisfied or very satisfied (1 response)" in html
    # online £0.40 and phone £6.50 in config/site.yaml: (0.40 + 6.50) / 2
    assert "£3.45" in html
    assert html.count('role="img"') == 2 and '<title id="funnel-title">' in html
    assert 'href="/admin/services/report-a-pothole/definition#line-20"' in html
    assert "report-a-pothole.yaml:20" in html
    table = html[html.index("Pages in definition order") :]
    named = [  # each page by its heading and id, in definition order
        '<th scope="row" class="govuk-table__header">Is the pothole in Aldermoor? (where)</th>',
        '<th scope="row" class="govuk-table__header">Report it to the council for that area '
        "(not-ours)</th>",
        '<th scope="row" class="govuk-table__header">How big is the pothole? (details)</th>',
    ]
    assert sorted(table.index(cell) for cell in named) == [table.index(cell) for cell in named]


def test_the_channel_filter_narrows_every_figure(app: Flask) -> None:
    drive(app)
    html = signed_in(app, "admin").get(f"{PAGE}?channel=assisted").get_data(as_text=True)
    assert "100.0% (1 sent of 1 started)" in html
    assert "No errors were shown in this period." in html
    assert "£6.50" in html


@pytest.mark.parametrize("written", ["1/11/2026", "01/11/2026", "1 11 2026", "2026-11-01"])
def test_a_date_is_read_as_staff_write_it(app: Flask, written: str) -> None:
    html = signed_in(app, "admin").get(PAGE, query_string={"since": written}).get_data(True)
    assert "1 November 2026 to" in html and "must be a real date" not in html


def test_a_wrong_date_is_an_error_with_a_summary(app: Flask) -> None:
    response = signed_in(app, "admin").get(f"{PAGE}?since=31/02/2026")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The date in From must be a real date" in html and 'href="#since"' in html


@pytest.mark.parametrize("url", [PAGE, "/admin/performance"])
def test_a_start_after_the_end_is_refused(app: Flask, url: str) -> None:
    client = signed_in(app, "admin")
    response = client.get(f"{url}?since=2026-11-29&until=2026-11-01")
    assert response.status_code == 400
    facts = parse_page(response.get_data(as_text=True))
    assert facts.error_messages == ["The date in From must be the same as or before the date in To"]
    assert facts.error_links == ["#since"] and facts.title.startswith("Error:")
    assert client.get(f"{url}?since=2026-11-01&until=2026-11-01").status_code == 200
    future = client.get(f"{url}?since=2999-01-01")
    assert parse_page(future.get_data(as_text=True)).error_messages == [
        "The date in From must be today or before"
    ]


@pytest.mark.parametrize("url", [PAGE, "/admin/performance"])
def test_an_end_after_today_is_refused(app: Flask, url: str) -> None:
    response = signed_in(app, "admin").get(f"{url}?until=9999-12-31")
    assert response.status_code == 400
    facts = parse_page(response.get_data(as_text=True))
    assert facts.error_messages == ["The date in To must be today or before"]
    assert facts.error_links == ["#until"] and facts.title.startswith("Error:")


def test_an_unknown_channel_is_a_govuk_error(app: Flask) -> None:
    response = signed_in(app, "admin").get(f"{PAGE}?channel=bogus")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert parse_page(html).error_messages == ["Select a channel from the list"]
    assert "Not a valid choice" not in html
    assert "All channels," in html  # the figures shown are every channel's


def test_one_service_s_page_does_not_say_all_services(app: Flask) -> None:
    html = signed_in(app, "admin").get(PAGE).get_data(as_text=True)
    assert ">All services<" not in html
    assert 'href="/admin/performance">Compare every service’s performance</a>' in html


def test_a_date_range_with_nothing_in_it(app: Flask) -> None:
    drive(app)
    html = signed_in(app, "admin").get(f"{PAGE}?since=2020-01-01&until=2020-01-31")
    text = html.get_data(as_text=True)
    assert "– (0 sent of 0 started)" in text  # no rate of nothing
    assert "– of all forms sent were sent online" in text  # not 0.0%: nothing was sent
    assert "0 seconds" not in text


def test_the_overview_ranks_services(app: Flask) -> None:
    drive(app)
    html = signed_in(app, "supervisor").get("/admin/performance").get_data(as_text=True)
    assert f'href="{PAGE}"' in html
    assert "Completion rate and digital take-up by service" in html


def test_a_service_that_sent_nothing_has_a_dash_for_take_up_in_the_chart_as_in_the_table(
    app: Flask,
) -> None:
    """A trial: 0% in the chart beside a dash in the table."""
    html = signed_in(app, "supervisor").get("/admin/performance").get_data(as_text=True)
    chart = html[html.index("<svg") : html.index("</svg>")]
    table = html[html.index("<table") : html.index("</table>")]
    assert ">–</text>" in chart and re.search(r">\s*–\s*</td>", table)


def test_the_definition_page_numbers_every_line(app: Flask) -> None:
    html = (
        signed_in(app, "admin").get(f"/admin/services/{SERVICE}/definition").get_data(as_text=True)
    )
    assert 'id="line-20"' in html and "How big is the pothole?" in html
