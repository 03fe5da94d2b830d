"""The case pages over HTTP: team isolation on every URL, filters, search, status, notes, audit."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update

from service_builder.cases import Case, CaseNote, change_case, find_case
from service_builder.deliveries import Delivery
from service_builder.exports import as_record
from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db
from service_builder.staff.sessions import TOUCH_EVERY, StaffSearch, StaffSession
from tests.casework.conftest import PASSWORD, send_pothole, staff
from tests.html_checks import parse_page
from tests.web.test_staff import age_sessions, find


@pytest.fixture
def reference(client: FlaskClient) -> str:
    return send_pothole(client, name="Grace Hopper", email="grace@example.com", phone="07700900123")


def case_urls(reference: str) -> list[tuple[str, str, dict[str, str]]]:
    """Every case URL, with a valid form for each POST."""
    return [
        ("GET", f"/staff/cases/{reference}", {}),
        ("GET", f"/staff/cases/{reference.lower()}", {}),
        ("POST", f"/staff/cases/{reference}/status", {"status": "in_progress"}),
        ("POST", f"/staff/cases/{reference}/assign", {"assignee": ""}),
        ("POST", f"/staff/cases/{reference}/notes", {"note": "Called the resident"}),
        ("GET", f"/staff/submissions/{reference}", {}),
        ("POST", "/staff/find", {"reference": reference}),
    ]


@pytest.mark.parametrize("role", ["agent", "caseworker"])
def test_another_teams_staff_get_nothing_from_any_case_url(
    app: Flask, reference: str, role: str
) -> None:
    outsider = staff(app, f"parks-{role}@council.example", role, ("parks",))
    for method, url, form in case_urls(reference):
        response = outsider.open(url, method=method, data=form, follow_redirects=True)
        if url.startswith("/staff/find"):  # a search that finds nothing: a result
            assert "No draft or sent form" in response.get_data(as_text=True)
        else:
            assert response.status_code in (400, 403, 404), (url, response.status_code)
        assert "Grace Hopper" not in response.get_data(as_text=True)
    inbox = outsider.post("/staff/cases", data={"q": "grace"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert reference not in inbox
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action)).all() == []  # nothing happened


def test_the_teams_caseworker_and_a_supervisor_can_work_the_case(
    app: Flask, reference: str
) -> None:
    for client in (
        staff(app, "highways@council.example", "caseworker", ("highways", "parks")),
        staff(app, "boss@council.example", "supervisor"),
    ):
        for method, url, form in case_urls(reference):
            if "find" in url:
                continue
            response = client.open(url, method=method, data=form)
            assert response.status_code in (200, 302), (url, response.status_code)


def test_the_inbox_lists_newest_first_and_filters_and_searches_in_the_database(
    app: Flask, client: FlaskClient
) -> None:
    first = send_pothole(client, name="Alan Turing", email="alan@example.com", postcode="CB2 1TN")
    second = send_pothole(
        app.test_client(), name="Mary Somerville", email="mary@example.com", postcode="KY1 1AA"
    )
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    page = worker.get("/staff/cases").get_data(as_text=True)
    assert page.index(second) < page.index(first)
    assert ">2 cases</p>" in page
    assert " UTC" not in page and re.search(r"\d+ \w+ \d{4}, [\w:]+</td>", page)
    for term, expected in [
        ("turing", first),
        ("MARY@example", second),
        ("cb21tn", first),
        ("KY1 1AA", second),
        (first.lower(), first),
        ("Somerville Mary", second),  # every word, in any order, as Find takes them
        ("Mary O\u2019Somerville", None),
    ]:
        found = worker.post("/staff/cases", data={"q": term}, follow_redirects=True).get_data(
            as_text=True
        )
        if expected is None:
            assert first not in found and second not in found, term
            continue
        assert expected in found, term
        assert ({first, second} - {expected}).pop() not in found, term
        assert ">1 case matches</p>" in found, term
    worker.post(f"/staff/cases/{first}/status", data={"status": "in_progress"})
    in_progress = worker.get("/staff/cases?status=in_progress").get_data(as_text=True)
    assert first in in_progress and second not in in_progress
    me = worker.get("/staff/cases?assignee=me").get_data(as_text=True)
    assert first not in me and "No cases match" in me and "0 cases" not in me
    today = worker.get("/staff/cases?received=1&service=report-a-pothole").get_data(as_text=True)
    assert first in today and second in today
    other = worker.get("/staff/cases?service=report-a-broken-bench")  # another team's
    assert other.status_code == 400
    assert "Select a service from the list" in other.get_data(as_text=True)


def test_the_inbox_finds_a_name_as_it_is_heard(app: Flask, client: FlaskClient) -> None:
    """A caseworker's trial: 'zoe darcy' found no case for Zoë D'Arcy."""
    sent = send_pothole(client, name="Zoë D’Arcy", email="zd@example.com")
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    for term in ("zoe darcy", "ZOË D'ARCY", "darcy", "Zoë D’Arcy"):
        found = worker.post("/staff/cases", data={"q": term}, follow_redirects=True)
        assert sent in found.get_data(as_text=True), term


def test_the_inbox_filters_by_a_colleague_who_holds_cases_of_the_services_one_sees(
    app: Flask, client: FlaskClient
) -> None:
    first = send_pothole(client, name="Alan Turing")
    second = send_pothole(app.test_client(), name="Mary Somerville")
    boss = staff(app, "boss@council.example", "supervisor")
    staff(app, "ann@council.example", "caseworker", ("highways",))
    staff(app, "bob@council.example", "caseworker", ("highways",))
    with app.app_context():
        ann = db.session.scalar(select(StaffUser).where(StaffUser.email == "ann@council.example"))
        assert ann is not None
        ann_id = ann.id
    boss.post(f"/staff/cases/{first}/assign", data={"assignee": str(ann_id)})
    page = boss.get("/staff/cases").get_data(as_text=True)
    parse_page(page)
    assignee = page.split('name="assignee"')[1].split("</select>")[0]
    offered = re.findall(r"<option[^>]*>([^<]*)</option>", assignee)
    assert offered == ["Anyone", "Me", "Nobody", "ann@council.example"]  # not bob: holds none
    found = boss.get("/staff/cases", query_string={"assignee": str(ann_id)}).get_data(as_text=True)
    assert first in found and second not in found and ">1 case matches</p>" in found
    outsider = staff(app, "parks@council.example", "caseworker", ("parks",))
    theirs = outsider.get("/staff/cases").get_data(as_text=True)
    assert "ann@council.example" not in theirs  # she holds no parks case
    refused = outsider.get("/staff/cases", query_string={"assignee": str(ann_id)})
    assert refused.status_code == 400 and first not in refused.get_data(as_text=True)


def test_paging_goes_through_every_case_once_newest_or_oldest_first(app: Flask) -> None:
    from tests.casework.test_worker_processes import seed

    references = seed(app, 120)
    with app.app_context():  # ties across every page boundary: the id must break them
        ids = sorted(db.session.scalars(select(Case.submission_id)))
        for n, submission_id in enumerate(ids):
            when = dt.datetime(2026, 11, 1, 9, 0) + dt.timedelta(minutes=n // 30)
            db.session.execute(
                update(Case).where(Case.submission_id == submission_id).values(submitted_at=when)
            )
        db.session.commit()
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    orders: dict[str, list[str]] = {}
    for order in ("", "oldest"):
        pages: list[list[str]] = []
        url: str | None = f"/staff/cases?order={order}"
        while url:
            page = worker.get(url).get_data(as_text=True)
            assert ">120 cases</p>" in page  # on every page, the whole count
            pages.append(re.findall(r">(POT-[0-9A-Z]{4}-[0-9A-Z]{4})<", page))
            url = link(page, "next")
        seen = [reference for page_ in pages for reference in page_]
        assert sorted(seen) == sorted(references) and len(pages) == 3
        # Previous goes back a page at a time, not to the first (a trial), to the same pages
        back = link(page, "prev")
        for expected in pages[-2::-1]:
            assert back is not None
            page = worker.get(back).get_data(as_text=True)
            assert re.findall(r">(POT-[0-9A-Z]{4}-[0-9A-Z]{4})<", page) == expected
            back = link(page, "prev")
        assert back is None and link(page, "next") is not None  # the first page
        orders[order] = seen
    assert orders["oldest"] == orders[""][::-1]
    assert "Select an order from the list" in worker.get("/staff/cases?order=x").get_data(
        as_text=True
    )


def link(page: str, rel: str) -> str | None:
    """The pagination link `rel` (next, prev) on a page of the inbox."""
    found = re.search(rf'href="([^"]*)"[^>]*rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def test_status_changes_need_a_reason_to_close_and_email_the_resident(
    app: Flask, reference: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    refused = worker.post(f"/staff/cases/{reference}/status", data={"status": "closed"})
    assert refused.status_code == 400
    assert "Select why the case is closed" in refused.get_data(as_text=True)
    worker.post(f"/staff/cases/{reference}/status", data={"status": "in_progress"})
    worker.post(
        f"/staff/cases/{reference}/status", data={"status": "closed", "reason": "duplicate"}
    )
    page = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Closed (A duplicate of another case)" in page
    assert (
        "Received to In progress" in page
        and "In progress to Closed (A duplicate of another case)" in page
    )
    with app.app_context():
        sent = db.session.scalars(select(Delivery).where(Delivery.purpose == "status")).all()
        assert [d.payload["personalisation"]["status"] for d in sent] == ["in_progress", "closed"]


def seen_on(html: str) -> str:
    found = re.search(r'name="case_seen" value="([0-9a-f]+)"', html)
    assert found is not None, html[:300]
    return found[1]


def test_of_two_saves_at_the_same_instant_only_the_first_is_kept(
    app: Flask, reference: str
) -> None:
    """Both read the case as 'received'; the other request writes first. This one's save
    (its check against the case as read, and its write, in one UPDATE) saves nothing."""
    with app.app_context():
        found = find_case(reference)
        assert found is not None and found.status == "received"
        with db.engine.begin() as other:  # another request, between this one's read and save
            other.execute(
                update(Case)
                .where(Case.reference == found.reference)
                .values(status="closed", closed_reason="not_ours")
            )
        assert not change_case(found, status="in_progress", closed_reason=None)
        db.session.commit()
        assert (found.status, found.closed_reason) == ("closed", "not_ours")
        assert change_case(found, status="in_progress", closed_reason=None)  # as read now
        db.session.commit()
        assert find_case(reference).status == "in_progress"  # type: ignore[union-attr]


def test_a_form_from_a_case_page_someone_else_has_changed_since_saves_nothing(
    app: Flask, reference: str
) -> None:
    first = staff(app, "case@council.example", "caseworker", ("highways",))
    second = staff(app, "case2@council.example", "caseworker", ("highways",))
    url = f"/staff/cases/{reference}"
    stale = seen_on(second.get(url).get_data(as_text=True))  # both open the case
    first.post(f"{url}/assign", data={"assignee": "", "case_seen": stale})  # no change
    closed = {"status": "closed", "reason": "duplicate", "case_seen": stale}
    assert first.post(f"{url}/status", data=closed).status_code == 302
    with app.app_context():
        me = db.session.scalars(
            select(StaffUser.id).where(StaffUser.email == "case@council.example")
        ).one()
    assert (
        first.post(
            f"{url}/assign",
            data={"assignee": str(me), "case_seen": seen_on(first.get(url).get_data(as_text=True))},
        ).status_code
        == 302
    )
    for action, form in (("status", {"status": "in_progress"}), ("assign", {"assignee": ""})):
        late = second.post(f"{url}/{action}", data={**form, "case_seen": stale})
        html = late.get_data(as_text=True)
        assert late.status_code == 409, html[:300]
        assert "Someone else changed this case after you opened it" in html
        assert "Nothing was saved. It is now Closed (A duplicate of another case), " in html
        assert "assigned to case@council.example" in html
    fresh = seen_on(html)
    assert (
        second.post(f"{url}/status", data={"status": "in_progress", "case_seen": fresh}).status_code
        == 302
    )
    with app.app_context():
        case = find_case(reference)
        assert case is not None and case.status == "in_progress" and case.assignee_id == me
        sent = db.session.scalars(select(Delivery).where(Delivery.purpose == "status")).all()
        assert [d.payload["personalisation"]["status"] for d in sent] == ["closed", "in_progress"]


def test_a_note_added_as_the_session_ended_comes_back_after_sign_in(
    app: Flask, reference: str
) -> None:
    from tests.web.test_staff import age_sessions

    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    url = f"http://localhost/staff/cases/{reference}"
    # sent from the case page; then from the page of an empty note's error, at /notes itself
    for referrer in (url, f"{url}/notes"):
        with app.app_context():
            age_sessions(dt.timedelta(minutes=31))
        late = worker.post(
            f"{url}/notes", data={"note": "Rang the resident back"}, headers={"Referer": referrer}
        )
        assert late.location.startswith("/staff/sign-in?next="), late.location
        signed_in = worker.post(
            late.location, data={"email": "case@council.example", "password": PASSWORD}
        )
        assert signed_in.location == f"/staff/cases/{reference}", late.location  # a page
        page = worker.get(signed_in.location).get_data(as_text=True)
        assert "What you sent from this page was not saved" in page
        assert ">Rang the resident back</textarea>" in page
    with app.app_context():
        assert db.session.scalars(select(CaseNote)).all() == []  # until added again


def test_a_case_says_the_residents_language_and_its_own_actions_are_not_views(
    app: Flask, reference: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    url = f"/staff/cases/{reference}"
    assert ">Language<" not in worker.get(url).get_data(as_text=True)  # English only: no row
    with app.app_context():
        case = find_case(reference)
        assert case is not None
        case.submission.language = "cy"
        db.session.commit()
    assert "Welsh (Cymraeg)" in worker.get(url).get_data(as_text=True)
    closed = {"status": "closed", "reason": "duplicate"}
    worker.post(f"{url}/status", data=closed, follow_redirects=True)
    # the reason it was closed with is still ticked: reopening is not told it was ignored
    reopened = worker.post(
        f"{url}/status",
        data={"status": "in_progress", "reason": "duplicate"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Status changed to In progress" in reopened
    assert "The reason for closing was not saved" not in reopened
    worker.post(f"{url}/notes", data={"note": "Rang back"}, follow_redirects=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [
        "viewed-case",
        "viewed-case",
        "status-changed",
        "status-changed",
        "note-added",
    ]
    with app.app_context():
        case = find_case(reference)
        assert case is not None and as_record(case.submission)["language"] == "cy"


def test_back_from_a_case_goes_to_the_inbox_as_it_was_filtered_through_its_actions(
    app: Flask, reference: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    assert "Clear the search and filters" not in worker.get("/staff/cases").get_data(as_text=True)
    searched = worker.post("/staff/cases", data={"status": "received", "q": "grace"})
    named = re.fullmatch(r"/staff/cases\?status=received&search=([\w-]+)", searched.location)
    assert named is not None and "grace" not in searched.location  # a token, not the words
    inbox = worker.get(searched.location).get_data(as_text=True)
    assert '<a class="govuk-link" href="/staff/cases">Clear the search and filters</a>' in inbox
    assert 'value="grace"' in inbox
    link = re.search(rf'href="(/staff/cases/{reference}\?inbox=[^"]+)"', inbox)
    assert link is not None and "grace" not in link[1]
    case_url = link[1].replace("&amp;", "&")
    back = f'href="/staff/cases?status=received&amp;search={named[1]}" class="govuk-back-link"'
    assert back in worker.get(case_url).get_data(as_text=True)
    done = worker.post(
        f"/staff/cases/{reference}/notes?inbox=status%3Dreceived%26search%3D{named[1]}",
        data={"note": "Rang back"},
    )
    assert done.location == case_url
    assert back in worker.get(done.location).get_data(as_text=True)
    odd = worker.get(f"/staff/cases/{reference}?inbox=https://evil.example/").get_data(as_text=True)
    assert 'href="/staff/cases" class="govuk-back-link"' in odd  # filters read, or none


def test_words_in_an_old_inbox_address_are_neither_searched_nor_put_in_links(
    app: Flask, reference: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    old = worker.get("/staff/cases?status=received&q=grace").text  # a bookmark from before
    assert reference in old and 'value="grace"' not in old
    assert f"/staff/cases/{reference}?inbox=status%3Dreceived" in old and "grace" not in old
    back = worker.get(f"/staff/cases/{reference}?inbox=status%3Dreceived%26q%3Dgrace").text
    assert 'href="/staff/cases?status=received" class="govuk-back-link"' in back


def test_each_tab_keeps_its_own_search_and_a_search_ends_with_its_sign_in(
    app: Flask, reference: str
) -> None:
    other = send_pothole(app.test_client(), name="Alan Turing", email="alan@example.com")
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    grace = worker.post("/staff/cases", data={"q": "grace"}).location
    alan = worker.post("/staff/cases", data={"q": "turing"}).location  # in another tab
    assert grace != alan
    first = worker.get(grace).text  # reloaded, or Back: still the first tab's search
    assert reference in first and other not in first and 'value="grace"' in first
    second = worker.get(alan).text
    assert other in second and reference not in second
    assert worker.post("/staff/cases", data={"q": "grace"}).location == grace  # the same words
    elsewhere = app.test_client()  # the same person, signed in elsewhere
    elsewhere.post("/staff/sign-in", data={"email": "case@council.example", "password": PASSWORD})
    ended = elsewhere.get(grace).text
    assert "This search has ended" in ended and 'value="grace"' not in ended
    assert reference in ended and other in ended  # the list, not searched
    worker.post("/staff/sign-out")
    with app.app_context():
        assert db.session.scalars(select(StaffSearch.words)).all() == []  # gone with it


def test_a_sign_out_in_another_tab_as_a_page_is_made_goes_on_to_sign_in_not_to_an_error(
    app: Flask, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    with app.app_context():
        age_sessions(TOUCH_EVERY * 2)  # so that this request writes the session back
    commit = type(db.session).commit

    def signed_out_meanwhile(session: object) -> None:
        commit(db.session)
        db.session.execute(delete(StaffSession))  # the other tab's sign-out
        commit(db.session)

    monkeypatch.setattr(type(db.session), "commit", signed_out_meanwhile)
    page = worker.get("/staff/cases")
    monkeypatch.undo()
    assert page.status_code in (302, 303), page.status_code
    assert worker.get(page.location, follow_redirects=True).request.path == "/staff/sign-in"


def test_every_view_of_a_case_is_audited_but_the_page_after_an_audited_action_on_it(
    app: Flask, client: FlaskClient, reference: str
) -> None:
    other = send_pothole(client, name="Alan Turing", email="alan@example.com")
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    worker.post(f"/staff/cases/{reference}/assign", data={"assignee": ""})  # changes nothing
    seen = worker.get(f"/staff/cases/{other}").get_data(as_text=True)  # another case
    assert "already assigned" not in seen  # its banner is not shown on another case
    worker.get(f"/staff/cases/{reference}")  # after an action that recorded nothing
    worker.post(f"/staff/cases/{reference}/notes", data={"note": "Rang back"})
    worker.get(f"/staff/cases/{reference}")  # after an audited action: that is the record
    with app.app_context():
        trail = db.session.execute(
            select(AuditEvent.action, Submission.reference)
            .join(Submission, Submission.id == AuditEvent.submission_id)
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in trail] == [
        ("viewed-case", other),
        ("viewed-case", reference),
        ("note-added", reference),
    ]


def test_notes_assignment_and_views_are_audited_without_answers(app: Flask, reference: str) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    empty = worker.post(f"/staff/cases/{reference}/notes", data={"note": ""})
    assert empty.status_code == 400 and "Enter a note" in empty.get_data(as_text=True)
    worker.post(f"/staff/cases/{reference}/notes", data={"note": "Rang Grace, no answer"})
    with app.app_context():
        from service_builder.staff.accounts import find_user

        user = find_user("case@council.example")
        assert user is not None
        me = str(user.id)
    worker.post(f"/staff/cases/{reference}/assign", data={"assignee": me})
    assert (
        worker.post(f"/staff/cases/{reference}/assign", data={"assignee": "999"}).status_code == 400
    )
    page = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Rang Grace, no answer" in page
    assert "Grace Hopper" in page and "Your full name" in page  # answers in the definition's words
    assert "Webhook to POTHOLE_CASE_URL" in page
    mine = worker.get("/staff/cases?assignee=me").get_data(as_text=True)
    assert reference in mine
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.action for e in events] == ["note-added", "assigned", "viewed-case"]
        for event in events:
            text = f"{event.detail}"
            for secret in ("Grace", "grace@example.com", "07700900123", "SW1A", "Rang"):
                assert secret not in text


def test_a_note_at_its_limit_with_line_breaks_is_taken_as_the_count_said(
    app: Flask, reference: str
) -> None:
    """Browsers send a line break as CRLF; the character count (and people) count one."""
    from service_builder.web.case_forms import NOTE_MAX

    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    lines = "x" * 99 + "\r\n"  # 100 characters a line, as counted
    note = (lines * (NOTE_MAX // 100))[:-2]
    assert worker.post(f"/staff/cases/{reference}/notes", data={"note": note}).status_code == 302
    with app.app_context():
        from service_builder.cases import CaseNote

        stored = db.session.scalars(select(CaseNote.text)).one()
    assert stored == note.replace("\r\n", "\n") and len(stored) == NOTE_MAX - 1


def test_close_reasons_are_a_group_with_a_legend_revealed_under_closed(
    app: Flask, reference: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    page = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    closed = re.search(r'<input[^>]*value="closed"[^>]*data-aria-controls="([^"]+)"', page)
    assert closed is not None, "the Closed choice reveals the reasons"
    reveal = page[page.index(f'id="{closed.group(1)}"') :]
    reveal = reveal[: reveal.index("</fieldset>")]
    assert re.search(r"<legend[^>]*>\s*Why is the case closed\?\s*</legend>", reveal)
    assert reveal.count('name="reason"') == 5  # nested: no JavaScript needed to see them
    refused = worker.post(f"/staff/cases/{reference}/status", data={"status": "closed"})
    assert refused.status_code == 400
    assert parse_page(refused.get_data(as_text=True)).error_links == ["#reason"]
    # a reason left checked under another status is not saved, and the agent is told so
    moved = worker.post(
        f"/staff/cases/{reference}/status", data={"status": "in_progress", "reason": "done"}
    )
    shown = worker.get(moved.location).get_data(as_text=True)
    assert "Status changed to In progress" in shown
    assert "The reason for closing was not saved" in shown
    with app.app_context():
        case = find_case(reference)
        assert case is not None and (case.status, case.closed_reason) == ("in_progress", None)
    worker.post(f"/staff/cases/{reference}/status", data={"status": "closed", "reason": "done"})
    closed = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert re.search(r'value="done"\s+checked', closed)  # the case as it is, reason and all


@pytest.mark.parametrize(
    ("role", "teams", "heading", "said"),
    [
        ("supervisor", (), "All cases", "Supervisors and admins see every team’s cases."),
        ("admin", (), "All cases", "Supervisors and admins see every team’s cases."),
        ("caseworker", ("highways",), "Cases", "your team’s services (highways)"),
        ("caseworker", ("allotments",), "Cases", "No service belongs to your team (allotments)"),
        ("agent", (), "Cases", "You are not in a team, so there are no cases for you."),
    ],
)
def test_the_inbox_says_whose_cases_it_lists(
    app: Flask, reference: str, role: str, teams: tuple[str, ...], heading: str, said: str
) -> None:
    page = staff(app, f"{role}@council.example", role, teams).get("/staff/cases")
    html = page.get_data(as_text=True)
    assert re.search(rf'<h1 class="govuk-heading-l">{heading}</h1>', html)
    assert said in html
    assert (reference in html) == (heading == "All cases" or "highways" in teams)
    assert ("not in a team" in html) == (not teams and heading == "Cases")
    sees = heading == "All cases" or "highways" in teams  # else nothing to search (a trial)
    assert ('name="q"' in html) is sees and "No cases match" not in html


def test_references_and_phone_numbers_are_found_however_they_are_typed(
    app: Flask, client: FlaskClient, reference: str
) -> None:
    other = send_pothole(app.test_client(), name="Ada Byron", phone="(07700) 900-456")
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    compact = reference.replace("-", "")
    for term, expected in [
        (compact.lower(), reference),
        (" ".join(reference.split("-")).lower(), reference),
        ("07700-900-123", reference),  # stored as 07700900123
        ("+44 7700 900123", reference),
        ("07700900456", other),  # stored as (07700) 900-456
        ("07700 900 456", other),
    ]:
        inbox = worker.post("/staff/cases", data={"q": term}, follow_redirects=True).get_data(
            as_text=True
        )
        assert expected in inbox and ({reference, other} - {expected}).pop() not in inbox, term
        found = find(worker, term)
        if term.startswith(("P", "p")):
            assert found.location == f"/staff/submissions/{reference}", term
        else:
            assert found.status_code == 200 and expected in found.get_data(as_text=True), term
    assert "No draft or sent form" in find(worker, "07700900999").text


def test_case_actions_say_what_they_did_in_the_trail_s_words(app: Flask, reference: str) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    with app.app_context():
        from service_builder.staff.accounts import find_user

        user = find_user("case@council.example")
        assert user is not None
        me = str(user.id)
    for url, form, said in [
        ("status", {"status": "in_progress"}, "Status changed to In progress"),
        ("assign", {"assignee": me}, "Case assigned to case@council.example"),
        ("notes", {"note": "Rang back"}, "Note added"),
    ]:
        done = worker.post(f"/staff/cases/{reference}/{url}", data=form)
        assert done.location == f"/staff/cases/{reference}"
        page = worker.get(done.location).get_data(as_text=True)
        banner = re.search(r"govuk-notification-banner--success.*?</h3>", page, re.S)
        assert banner is not None and said in banner.group(0), url
        again = worker.get(done.location).get_data(as_text=True)
        assert "govuk-notification-banner" not in again  # once
    page = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Changed who the case is assigned to: to case@council.example" in page
    assert "staff account" not in page
    assert " UTC" not in page and re.search(r"case@council\.example, \d+ \w+ \d{4}, [\w:]+", page)
    assert 'data-maxlength="2000"' in page  # GOV.UK character count
    long = worker.post(f"/staff/cases/{reference}/notes", data={"note": "x" * 2001})
    assert long.status_code == 400
    facts = parse_page(long.get_data(as_text=True))
    assert facts.error_messages == ["A note must be 2,000 characters or fewer"]
    assert facts.error_links == ["#note"]
    assert (
        worker.post(f"/staff/cases/{reference}/notes", data={"note": "x" * 2000}).status_code == 302
    )


def test_unknown_inbox_filters_are_govuk_errors(app: Flask, reference: str) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    bogus = {"status": "bogus", "received": "abc", "assignee": "who", "service": "nope"}
    response = worker.post("/staff/cases", data={**bogus, "q": "x" * 101})
    assert response.status_code == 400
    facts = parse_page(response.get_data(as_text=True))
    assert facts.title.startswith("Error:")
    assert facts.error_links == ["#q", "#service", "#status", "#assignee", "#received"]
    assert facts.error_messages == [
        "Enter 100 characters or fewer",
        "Select a service from the list",
        "Select a status from the list",
        "Select who the case is assigned to",
        "Select when the case was received from the list",
    ]
    shown = worker.get("/staff/cases?status=bogus").get_data(as_text=True)
    assert reference in shown  # the list without the refused filter
    # not 'Received', which is also a status (a caseworker's trial)
    assert re.search(r'for="received">\s*Date received\s*</label>', shown)
    assert worker.get("/staff/cases?status=&received=7&assignee=").status_code == 200


def test_a_next_page_whose_cases_went_shows_the_page_before_it(
    app: Flask, client: FlaskClient
) -> None:
    """A review: a Next link followed after the cases past it were deleted (a purge) gave an
    empty page with neither Previous nor Next."""
    first = send_pothole(client, name="Alan Turing")
    second = send_pothole(app.test_client(), name="Mary Somerville")
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    with app.app_context():
        oldest = db.session.scalars(select(Case).order_by(Case.submitted_at, Case.submission_id))
        case = oldest.first()
        assert case is not None
        cursor = f"{case.submitted_at.isoformat()}_{case.submission_id}"
    page = worker.get("/staff/cases", query_string={"after": cursor}).get_data(as_text=True)
    assert first in page and second in page and "No cases match" not in page


@pytest.mark.parametrize("last", ["2147483648", "99999999999999999999", "-1", "%C2%B2"])
def test_a_cursor_that_is_not_a_case_number_starts_from_the_first_page(
    app: Flask, reference: str, last: str
) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    response = worker.get(f"/staff/cases?after=2000-01-01T00:00:00_{last}")
    assert response.status_code == 200
    assert reference in response.get_data(as_text=True)


def test_a_case_sent_by_an_agent_says_who_sent_it_for_the_resident(app: Flask) -> None:
    agent = staff(app, "agent@council.example", "agent")
    started = agent.post("/staff/report-a-pothole/", data={"contact_channel": "phone"})
    assert started.status_code == 302
    answers = {"full_name": "Ada Lovelace", "email": "ada@example.com", "postcode": "SW1A 1AA"}
    assert agent.post("/staff/report-a-pothole/details", data=answers).status_code == 302
    sent = agent.post("/staff/report-a-pothole/check-answers")
    page = agent.get(sent.location).get_data(as_text=True)
    reference = re.search(r"POT-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert reference is not None
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    case = worker.get(f"/staff/cases/{reference[0]}").get_data(as_text=True)
    assert "agent@council.example, for the resident" in case and ">Assisted<" not in case
    with app.app_context():
        draft_reference = db.session.scalars(select(Draft.reference)).one()
    assert draft_reference is not None
    for quoted in (draft_reference, draft_reference.lower().replace("-", " ")):
        found = worker.post("/staff/cases", data={"q": quoted}, follow_redirects=True)
        # a caller who rang before quotes the draft's reference (an agent's trial)
        assert reference[0] in found.get_data(as_text=True), quoted
        assert ">1 case matches</p>" in found.get_data(as_text=True), quoted


def test_a_disabled_account_cannot_be_given_a_case_and_is_marked_on_the_cases_it_holds(
    app: Flask, client: FlaskClient, reference: str
) -> None:
    from service_builder.staff.accounts import disable_user, find_user

    leaver = staff(app, "leaver@council.example", "caseworker", ("highways",))
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    with app.app_context():
        user = find_user("leaver@council.example")
        assert user is not None
        leaver_id = str(user.id)
    assert (
        leaver.post(f"/staff/cases/{reference}/assign", data={"assignee": leaver_id}).status_code
        == 302
    )
    other = send_pothole(client, name="Ada Lovelace", email="ada@example.com")
    with app.app_context():
        disable_user("leaver@council.example")
    held = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "leaver@council.example (account disabled)" in held  # still shown where it is held
    page = worker.get(f"/staff/cases/{other}").get_data(as_text=True)
    assert "leaver@council.example" not in page
    refused = worker.post(f"/staff/cases/{other}/assign", data={"assignee": leaver_id})
    assert refused.status_code == 400
    moved = worker.post(f"/staff/cases/{reference}/assign", data={"assignee": ""})
    assert moved.status_code == 302


def test_the_case_and_its_sent_form_link_to_each_other(app: Flask, reference: str) -> None:
    worker = staff(app, "case@council.example", "caseworker", ("highways",))
    case = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    printable = f"/staff/submissions/{reference}/print"
    assert f'href="{printable}"' in case
    assert worker.get(printable).status_code == 200
    sent = worker.get(f"/staff/submissions/{reference}").get_data(as_text=True)
    assert f'href="/staff/cases/{reference}"' in sent
