"""Welsh on the pages the engine adds around a service: repeat list, item and remove pages,
already-sent, feedback and the resident's /status page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.catalog import Catalog
from service_builder.deliveries import Delivery, queue_status_email
from service_builder.explorer import explore
from service_builder.models import Submission, db
from service_builder.web.repeat import too_few_message
from tests.conftest import EXAMPLES, make_app
from tests.html_checks import parse_page
from tests.web.walker import Walker

CATALOG = Catalog.load(EXAMPLES)
SERVICE = CATALOG.services["apply-recycling-centre-permit"]
BASE = f"/{SERVICE.id}"


def welsh(response: object) -> str:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert '<html lang="cy"' in html
    return html


def send_in_welsh(client: FlaskClient) -> str:
    """Walk the service's first route in Welsh and send it; the reference."""
    client.get(f"{BASE}/?lang=cy")
    route = next(r for r in explore(SERVICE, "resident") if not r.exit_page)
    Walker(client, SERVICE).walk(route)
    assert client.post(f"{BASE}/check-answers").location == f"{BASE}/confirmation"
    welsh(client.get(f"{BASE}/confirmation"))
    return _sent(client).reference


def test_the_repeat_pages_are_in_welsh(client: FlaskClient) -> None:
    client.get(f"{BASE}/?lang=cy")
    assert client.post(f"{BASE}/permit-for", data={"permit_for": "household"}).status_code == 302
    assert client.get(f"{BASE}/vehicles").location == f"{BASE}/vehicles/1"
    item = welsh(client.get(f"{BASE}/vehicles/1"))
    assert parse_page(item).title.startswith("Cerbyd 1 – ")  # not the list's "Eich cerbydau"
    assert "Beth yw rhif cofrestru’r cerbyd?" in item
    empty = welsh(client.post(f"{BASE}/vehicles/1", data={"vehicle_type": "van"}))
    assert "Rhowch rif cofrestru’r cerbyd" in empty  # the name soft-mutated after "Rhowch"
    refused = client.post(f"{BASE}/vehicles/1", data={"registration": "CU57 ABC"})
    assert refused.status_code == 400 and "Dewiswch y math o gerbyd" in welsh(refused)
    data = {"registration": "CU57 ABC", "vehicle_type": "van"}
    assert client.post(f"{BASE}/vehicles/1", data=data).location == f"{BASE}/vehicles"
    listing = welsh(client.get(f"{BASE}/vehicles"))
    assert parse_page(listing).title.startswith("Eich cerbydau – ")
    for text in ("Ydych chi eisiau ychwanegu cerbyd arall?", "Cerbyd 1", ">Newid", ">Tynnu"):
        assert text in listing, text
    assert re.findall(
        r'<label class="govuk-label govuk-radios__label"[^>]*>\s*(.*?)\s*</label>', listing
    ) == [
        "Ydw",
        "Nac ydw",
    ]  # "Ydych chi…?" is answered with the verb, not Ie or Na
    assert "Do you want" not in listing and "Remove" not in listing
    unanswered = client.post(f"{BASE}/vehicles", data={})
    assert "Dewiswch ‘Ydw’ os ydych chi eisiau ychwanegu cerbyd arall" in welsh(unanswered)
    assert client.post(f"{BASE}/vehicles", data={"add_another": "no"}).status_code == 302
    remove = welsh(client.get(f"{BASE}/vehicles/1/remove"))
    assert "Ydych chi’n siŵr eich bod eisiau tynnu cerbyd 1?" in parse_page(remove).title
    unsure = client.post(f"{BASE}/vehicles/1/remove", data={})
    assert "Dewiswch ‘Ydw’ os ydych chi eisiau tynnu cerbyd 1" in welsh(unsure)
    assert client.post(f"{BASE}/vehicles/1/remove", data={"confirm": "yes"}).status_code == 302
    # none left of the one needed: the first item again, not "add one?" with no way to say no
    assert client.get(f"{BASE}/vehicles").location == f"{BASE}/vehicles/1"


@pytest.mark.parametrize(
    ("language", "fewest", "message"),
    [
        ("en", 1, "Add at least 1 vehicle"),
        ("en", 2, "Add at least 2: select yes to add another vehicle"),
        ("cy", 1, "Ychwanegwch o leiaf 1 cerbyd"),
        ("cy", 2, "Ychwanegwch o leiaf 2: dewiswch ie i ychwanegu cerbyd arall"),
        ("cy", 3, "Ychwanegwch o leiaf 3: dewiswch ie i ychwanegu cerbyd arall"),
    ],
)
def test_too_few_items_counts_in_the_catalogue(language: str, fewest: int, message: str) -> None:
    page = SERVICE.in_language(language).page("vehicles")
    assert page is not None
    assert too_few_message(page.model_copy(update={"min_items": fewest})) == message


def test_already_sent_is_in_welsh(client: FlaskClient) -> None:
    reference = send_in_welsh(client)
    page = welsh(client.get(f"{BASE}/permit-for"))
    assert "Rydych chi eisoes wedi anfon y ffurflen hon" in parse_page(page).title
    assert "Eich cyfeirnod yw" in page and reference in page and "Dechrau eto" in page


def test_the_status_page_is_in_welsh(client: FlaskClient) -> None:
    reference = send_in_welsh(client)
    form = welsh(client.get("/status?lang=cy"))
    assert "Gwirio cynnydd eich ffurflen" in parse_page(form).title and "Cyfeirnod" in form
    refused = client.post("/status", data={"reference": "", "email_or_postcode": ""})
    errors = parse_page(welsh(refused)).error_messages
    assert errors == [  # the hidden prefix in Welsh too
        "Gwall: Rhowch eich cyfeirnod",
        "Gwall: Rhowch y cyfeiriad e-bost neu’r cod post a roesoch",
    ]
    given = {"reference": reference, "email_or_postcode": "ada@example.com"}
    wrong = client.post("/status", data=given)
    assert "Ni allwn ddod o hyd i achos" in welsh(wrong)
    email = _sent(client).answers["email"]
    found = welsh(client.post("/status", data={**given, "email_or_postcode": email}))
    assert "Eich achos: wedi dod i law" in found and "Statws" in found
    assert "Mae eich ffurflen gennym." in found and "Received" not in found
    months = (
        "Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr"
    )
    assert re.search(rf"\d+ ({months}) \d{{4}}", found)


def _sent(client: FlaskClient) -> Submission:
    with client.application.app_context():
        submission = db.session.scalars(select(Submission)).one()
        db.session.expunge(submission)
        return submission


def test_the_feedback_page_is_in_welsh(client: FlaskClient) -> None:
    url = f"{BASE}/feedback"
    page = welsh(client.get(f"{url}?lang=cy"))
    assert "Rhoi adborth" in parse_page(page).title
    for text in ("Bodlon iawn", "Ddim yn fodlon nac yn anfodlon", "Anfodlon iawn", "Anfon adborth"):
        assert text in page, text
    assert 'value="very_satisfied"' in page and 'name="comments"' in page
    english = re.compile(r"You (can enter up to|have) %?\S+ characters?")  # the count's words
    assert not english.search(page) and "Gallwch roi hyd at 1,200 nod" in page  # without JS
    assert 'characters-over-limit.other="Mae gennych %{count} nod yn ormod"' in page  # with JS
    refused = client.post(url, data={"comments": "x" * 1201})
    assert not english.search(refused.get_data(as_text=True))
    errors = parse_page(welsh(refused)).error_messages
    assert errors == [
        "Gwall: Dewiswch sut rydych chi’n teimlo am y gwasanaeth hwn",
        "Gwall: Rhaid i’ch sylwadau fod yn 1,200 o nodau neu lai",
    ]
    sent = client.post(url, data={"satisfaction": "satisfied"})
    assert sent.location == f"{url}/thank-you"
    assert "Diolch am eich adborth" in welsh(client.get(sent.location))


def test_emails_about_a_welsh_form_stay_in_welsh(client: FlaskClient) -> None:
    reference = send_in_welsh(client)
    with client.application.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.language == "cy"
        assert queue_status_email(submission, CATALOG.get(SERVICE.id), "in_progress")
        db.session.commit()
        sent = {
            d.purpose: d.payload["personalisation"] for d in db.session.scalars(select(Delivery))
        }
        templates = {
            d.purpose: d.payload["template_id"] for d in db.session.scalars(select(Delivery))
        }
    welsh_title = SERVICE.in_language("cy").title
    for purpose in ("confirmation", "status"):
        assert sent[purpose]["service_title"] == welsh_title != SERVICE.title
        assert sent[purpose]["status_url"].endswith(f"/status?reference={reference}&lang=cy")
        assert sent[purpose]["language"] == "cy"
    assert templates["confirmation"] == "00000000-0000-4000-8000-000000000104"  # the Welsh one
    assert templates["status"] == "00000000-0000-4000-8000-000000000114"
    # the team's new-case email is the council's, in the service's first language
    assert sent["team"]["service_title"] == SERVICE.title and sent["team"]["language"] == "en"
    assert sent["team"]["status_url"].endswith(f"/status?reference={reference}")


def test_the_welsh_service_list_marks_services_only_in_english(client: FlaskClient) -> None:
    """WCAG 3.1.2: text in another language than the page's says so."""
    html = welsh(client.get("/?lang=cy"))
    items = re.findall(r"<li([^>]*)>\s*<a[^>]*href=\"/([^/\"]+)/\"", html)
    english = {service for attributes, service in items if 'lang="en"' in attributes}
    welsh_too = {service for attributes, service in items if "lang=" not in attributes}
    assert english == {s.id for s in CATALOG.services.values() if "cy" not in s.languages}
    assert welsh_too == {s.id for s in CATALOG.services.values() if "cy" in s.languages}
    assert english and welsh_too


def test_a_form_that_expired_says_so_in_its_language_with_the_way_on() -> None:
    """CSRF on: a Welsh page's form sent after the session was lost (cookies cleared, a new
    browser) is answered in Welsh under the service's name, with Start again; with the
    session kept, a link back to the page, whose earlier answers are kept."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    shown = welsh(client.get(f"{BASE}/permit-for?lang=cy"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown)
    assert token is not None and 'name="page_language" value="cy"' in shown
    answer = {"permit_for": "household", "page_language": "cy"}
    lost = app.test_client().post(f"{BASE}/permit-for", data={**answer, "csrf_token": token[1]})
    page = welsh(lost)
    assert lost.status_code == 400 and SERVICE.in_language("cy").title in page
    assert f'href="{BASE}/">Dechrau eto</a>' in page
    assert "Ewch yn ôl, adnewyddwch y dudalen" not in page  # it would land on an empty form
    stale = client.post(f"{BASE}/permit-for", data={**answer, "csrf_token": "stale"})
    assert stale.status_code == 400
    assert f'href="{BASE}/permit-for">Ewch yn ôl i’r dudalen</a>' in welsh(stale)
    english = app.test_client().post(f"{BASE}/permit-for", data={"permit_for": "household"})
    assert '<html lang="en"' in english.get_data(as_text=True)  # no field: the service's first


def test_a_form_is_sent_in_the_language_of_its_page_whatever_another_tab_chose(
    client: FlaskClient,
) -> None:
    client.get(f"{BASE}/?lang=cy")
    route = next(r for r in explore(SERVICE, "resident") if not r.exit_page)
    Walker(client, SERVICE).walk(route)
    client.get(f"{BASE}/?lang=en")  # another tab, in English, since
    refused = client.post(f"{BASE}/vehicles", data={"page_language": "cy", "add_another": "x"})
    assert refused.status_code == 400 and '<html lang="cy"' in refused.get_data(as_text=True)
    sent = client.post(f"{BASE}/check-answers", data={"page_language": "cy"})
    assert sent.location == f"{BASE}/confirmation"
    assert _sent(client).language == "cy"  # so its emails are in Welsh


def test_the_confirmation_says_where_its_email_went(client: FlaskClient) -> None:
    send_in_welsh(client)
    address = _sent(client).answers["email"]
    page = welsh(client.get(f"{BASE}/confirmation"))
    assert f"Rydym wedi anfon e-bost cadarnhau at {address}." in page
    english = client.get(f"{BASE}/confirmation?lang=en").get_data(as_text=True)
    assert f"We have sent a confirmation email to {address}." in english


def test_the_councils_own_words_on_a_welsh_page_are_welsh_or_marked_english(
    client: FlaskClient,
) -> None:
    """Texts from config/site.yaml: the default settings' in Welsh (the catalogue), the
    council's own (its address) marked lang="en"."""
    page = welsh(client.get("/contact?lang=cy"))
    assert "Dydd Llun i ddydd Gwener, 9am i 5pm" in page and "Monday to Friday" not in page
    assert '<span lang="en">Civic Centre, Market Street' in page
    assert ">Datganiad hygyrchedd</a>" in page  # a footer link, in Welsh
    english = client.get("/contact?lang=en").get_data(as_text=True)
    assert "Monday to Friday, 9am to 5pm" in english and '<span lang="en">' not in english


def test_a_definition_gives_welsh_yes_and_no_their_verb() -> None:
    question = CATALOG.services["apply-parking-permit"].in_language("cy").question("has_blue_badge")
    assert question is not None
    assert [option.label for option in question.options] == ["Oes", "Nac oes"]  # type: ignore[attr-defined]


def test_a_service_only_in_english_says_so_in_welsh_to_someone_who_asked_for_welsh(
    client: FlaskClient,
) -> None:
    english_only = [s for s in CATALOG.services.values() if list(s.languages) == ["en"]]
    assert english_only and list(SERVICE.languages) == ["en", "cy"]
    notice = '<p class="govuk-body govuk-!-margin-top-3 govuk-!-margin-bottom-0" lang="cy">'
    notice += "Dim ond yn Saesneg y mae’r gwasanaeth hwn ar gael."
    page = client.get(f"/{english_only[0].id}/?lang=cy").get_data(as_text=True)
    assert '<html lang="en"' in page and notice in page
    assert notice not in welsh(client.get(f"{BASE}/"))  # a Welsh service in Welsh
    listed = welsh(client.get("/"))
    assert listed.count('lang="cy">Ar gael yn Saesneg yn unig</p>') == len(english_only)
    client.get("/?lang=en")
    for path in (f"/{english_only[0].id}/", "/"):
        assert "Saesneg" not in client.get(path).get_data(as_text=True)


def test_a_lists_count_on_check_your_answers_takes_the_welsh_plural_form() -> None:
    """A trial: one vehicle read as the plural (wedi’u), not the singular (wedi’i)."""  # noqa: RUF002
    from service_builder.journey import SummaryRow

    for language, said in (("cy", ["1 wedi’i ychwanegu", "2 wedi’u hychwanegu"]), ("en", [])):
        page = SERVICE.in_language(language).page("vehicles")
        assert page is not None
        shown = [SummaryRow(page, None, count).display() for count in (1, 2)]
        assert shown == (said or ["1 added", "2 added"])
