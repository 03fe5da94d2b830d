"""The journey: routes recomputed from answers, skips, exits, changes and audiences."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup

from service_builder.definitions import Service, load_definition
from service_builder.definitions.loader import load_text
from service_builder.definitions.schema import Page
from service_builder.journey import (
    DraftState,
    Journey,
    SummaryRow,
    read_page,
    submitted_rows,
    typed_key,
)
from service_builder.steps import Step
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def service() -> Service:
    result = load_definition(FIXTURES / "branching.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    return result.service


def journey(
    service: Service, answers: dict[str, Any], completed: list[str], audience: str = "resident"
) -> Journey:
    return Journey(service, DraftState(dict(answers), list(completed)), audience)


def ids(j: Journey) -> list[str]:
    return [page.id for page in j.route]


def test_a_new_journey_starts_at_the_first_page(service: Service) -> None:
    j = journey(service, {}, [])
    assert ids(j) == ["age"]
    assert j.next_step == "age"
    assert not j.complete


def test_next_rules_can_end_at_an_exit_page(service: Service) -> None:
    j = journey(service, {"age": 10}, ["age"])
    assert ids(j) == ["age", "too-young"]
    assert j.next_step == "too-young"
    assert not j.complete


def test_pages_whose_condition_is_false_are_skipped(service: Service) -> None:
    j = journey(service, {"age": 30, "pets": ["cat"]}, ["age", "pets"])
    assert ids(j) == ["age", "pets", "notice"]


def test_a_complete_route_opens_check_answers(service: Service) -> None:
    answers = {"age": 30, "pets": ["dog"], "dog_name": "Rex", "newsletter": "no"}
    j = journey(service, answers, ["age", "pets", "dog-name", "notice", "contact"])
    assert j.complete
    assert j.next_step == "check-answers"
    assert j.previous("check-answers") == "contact"
    assert j.previous("dog-name") == "pets"
    assert j.submission_answers() == answers


def test_answers_off_the_route_are_neither_shown_nor_submitted(service: Service) -> None:
    answers = {"age": 30, "pets": ["cat"], "dog_name": "Rex", "newsletter": "yes"}
    j = journey(service, answers, ["age", "pets", "dog-name", "notice", "contact"])
    assert j.complete
    assert "dog_name" not in j.submission_answers()
    assert [row.question.id for row in j.summary()] == ["age", "pets", "newsletter"]


def test_hidden_questions_are_not_required_and_audience_filters(service: Service) -> None:
    answers = {"age": 16, "pets": ["none"]}
    j = journey(service, answers, ["age", "pets", "notice", "contact"])
    assert j.complete  # newsletter hidden for under-18s
    contact = service.page("contact")
    assert contact is not None
    assert [q.id for q in j.questions(contact)] == ["email"]
    staff = journey(service, answers, ["age", "pets", "notice", "contact"], "staff")
    assert [q.id for q in staff.questions(contact)] == ["email", "staff_note"]


def test_a_change_that_opens_a_page_goes_there_then_back_to_check_answers(service: Service) -> None:
    done = ["age", "pets", "notice", "contact"]
    j = journey(service, {"age": 30, "pets": ["cat"], "newsletter": "no"}, done)
    pets = service.page("pets")
    assert pets is not None
    j.record(pets, {"pets": ["cat", "dog"]})
    assert j.after(pets, changing=True) == "dog-name"
    dog = service.page("dog-name")
    assert dog is not None
    j.record(dog, {"dog_name": "Rex"})
    assert j.after(dog, changing=True) == "check-answers"


def test_a_change_that_opens_nothing_returns_to_check_answers(service: Service) -> None:
    done = ["age", "pets", "notice", "contact"]
    j = journey(service, {"age": 30, "pets": ["cat"], "newsletter": "no"}, done)
    age = service.page("age")
    assert age is not None
    j.record(age, {"age": 31})
    assert j.after(age, changing=True) == "check-answers"
    j.record(age, {"age": 31})
    assert j.after(age, changing=False) == "pets"


def test_a_change_that_makes_a_question_visible_reopens_its_page(service: Service) -> None:
    done = ["age", "pets", "notice", "contact"]
    j = journey(service, {"age": 16, "pets": ["cat"]}, done)
    assert j.complete
    age = service.page("age")
    assert age is not None
    j.record(age, {"age": 40})
    assert j.after(age, changing=True) == "contact"  # newsletter now needs an answer


def test_a_question_a_change_hides_is_asked_again_when_a_later_change_shows_it(
    service: Service,
) -> None:
    """Residents' trials: an answer left behind came back unasked after a later Change. Once
    the route runs to check your answers, a hidden question's answer goes."""
    done = ["age", "pets", "notice", "contact"]
    j = journey(service, {"age": 30, "pets": ["cat"], "newsletter": "yes"}, done)
    age = page(service, "age")
    j.record(age, {"age": 17})  # the newsletter question is hidden
    assert j.complete and "newsletter" not in j.state.answers
    j.record(age, {"age": 40})
    assert j.after(age, changing=True) == "contact"  # asked again, not 'yes' unasked


def test_a_page_a_change_takes_off_the_route_is_asked_again_with_its_answers(
    service: Service,
) -> None:
    done = ["age", "pets", "dog-name", "notice", "contact"]
    answers = {"age": 30, "pets": ["dog"], "dog_name": "Rex", "newsletter": "no"}
    j = journey(service, answers, done)
    pets = page(service, "pets")
    j.record(pets, {"pets": ["cat"]})
    assert j.complete and j.state.completed == ["age", "pets", "notice", "contact"]
    assert j.state.answers["dog_name"] == "Rex"  # kept, to fill in if it comes back
    assert "dog_name" not in j.submission_answers()
    j.record(pets, {"pets": ["cat", "dog"]})
    assert j.after(pets, changing=True) == "dog-name"
    j.record(page(service, "dog-name"), {"dog_name": "Rex"})
    assert j.complete and j.submission_answers()["dog_name"] == "Rex"


def test_nothing_is_let_go_until_the_route_reaches_check_answers(service: Service) -> None:
    """A page past the first one needing answers may yet be on the route."""
    j = journey(service, {"age": 30, "pets": ["dog"], "dog_name": "Rex"}, ["age", "pets"])
    j.record(page(service, "pets"), {"pets": ["cat"]})
    assert not j.complete
    assert j.state.answers["dog_name"] == "Rex" and j.state.completed == ["age", "pets"]


def test_a_draft_is_found_by_its_answers_on_the_route_and_what_is_kept_where_it_stops(
    service: Service,
) -> None:
    """An agent's trial: a registration a Change had left behind still found the draft."""
    answers = {"age": 30, "pets": ["cat"], "dog_name": "Rex", "email": "a@b.co"}
    j = journey(service, answers, ["age", "pets", "notice"])  # at contact: its email kept
    assert j.findable_answers() == {"age": 30, "pets": ["cat"], "email": "a@b.co"}


def test_recording_a_page_replaces_its_earlier_answers(service: Service) -> None:
    j = journey(service, {"age": 30, "pets": ["cat"], "email": "a@b.co"}, ["age", "pets"])
    contact = service.page("contact")
    assert contact is not None
    j.record(contact, {"email": None, "newsletter": "yes"})
    assert "email" not in j.state.answers
    assert j.state.answers["newsletter"] == "yes"


# -- repeat pages, drafts and reading answers back ----------------------------------------------
@pytest.fixture(scope="module")
def repeat() -> Service:
    result = load_definition(FIXTURES / "repeat.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    return result.service


def page(service: Service, page_id: str) -> Page:
    found = service.page(page_id)
    assert found is not None
    return found


CAR = {"registration": "AB12 CDE", "fuel": "petrol"}
VAN = {"registration": "XY99 ZZZ", "fuel": "diesel", "fleet_number": "F7"}


def test_a_draft_reads_back_what_it_stored_and_ignores_damaged_items(repeat: Service) -> None:
    assert DraftState.from_json(None) == DraftState({}, [])
    stored = {"answers": {"vehicles": [CAR, "junk", VAN]}, "completed": ["business"]}
    state = DraftState.from_json(stored)
    assert state.to_json() == stored
    assert state.items(page(repeat, "vehicles")) == [CAR, VAN]
    state.items(page(repeat, "vehicles"))[0]["fuel"] = "electric"  # a copy, not the draft
    assert stored["answers"]["vehicles"][0]["fuel"] == "petrol"  # type: ignore[index]
    assert DraftState({"vehicles": "not a list"}).items(page(repeat, "vehicles")) == []


@pytest.mark.parametrize(
    ("items", "route", "complete"),
    [
        ([CAR], ["business", "vehicles"], False),  # fewer than min_items: 2
        ([CAR, VAN], ["business", "vehicles", "name"], True),
        ([CAR, VAN, CAR], ["business", "vehicles", "many", "name"], True),  # count eq 3
        ([CAR, VAN, CAR, VAN], ["business", "vehicles"], False),  # more than max_items: 3
        ([CAR, {"registration": "NO FUEL"}], ["business", "vehicles"], False),  # item lacks fuel
    ],
)
def test_a_repeat_page_is_finished_with_enough_complete_items(
    repeat: Service, items: list[dict[str, str]], route: list[str], complete: bool
) -> None:
    answers = {"business": "no", "vehicles": items, "full_name": "A Person"}
    j = journey(repeat, answers, ["business", "vehicles", "many", "name"])
    assert ids(j) == route
    assert j.complete is complete
    assert j.is_complete(page(repeat, "vehicles")) is (len(route) > 2)


def test_an_unfinished_repeat_page_is_not_complete_even_with_its_items(repeat: Service) -> None:
    j = journey(repeat, {"business": "no", "vehicles": [CAR, VAN]}, ["business"])
    assert ids(j) == ["business", "vehicles"] and j.next_step == "vehicles"
    j.finish(page(repeat, "vehicles"))
    j.finish(page(repeat, "vehicles"))
    assert j.state.completed == ["business", "vehicles"]
    assert ids(j) == ["business", "vehicles", "name"]  # the route is walked again


def test_the_first_item_missing_a_newly_shown_question_is_found(repeat: Service) -> None:
    vehicles = page(repeat, "vehicles")
    j = journey(repeat, {"business": "no", "vehicles": [CAR, {"registration": "B"}]}, [])
    assert j.first_incomplete_item(vehicles) == 2
    assert journey(repeat, {"vehicles": [CAR, VAN]}, []).first_incomplete_item(vehicles) is None


def test_items_are_added_replaced_and_removed(repeat: Service) -> None:
    vehicles = page(repeat, "vehicles")
    j = journey(repeat, {"business": "no"}, ["business", "vehicles"])
    assert ids(j) == ["business", "vehicles"]
    j.record_item(vehicles, 1, {**CAR, "fleet_number": None})
    j.record_item(vehicles, 2, VAN)
    assert j.items(vehicles) == [CAR, VAN]
    assert ids(j) == ["business", "vehicles", "name"]
    j.record_item(vehicles, 1, VAN)
    assert j.items(vehicles) == [VAN, VAN]
    j.remove_item(vehicles, 1)
    assert j.items(vehicles) == [VAN] and ids(j) == ["business", "vehicles"]


def test_a_content_page_a_change_brings_back_is_shown_again(repeat: Service) -> None:
    """A trial: a safety warning seen once was not shown when a later change brought it back."""
    vehicles = page(repeat, "vehicles")
    answers = {"business": "no", "vehicles": [CAR, CAR, CAR], "full_name": "A Person"}
    j = journey(repeat, answers, ["business", "vehicles", "many", "name"])
    j.remove_item(vehicles, 3)
    assert j.complete and "many" not in j.state.completed
    j.record_item(vehicles, 3, CAR)
    assert j.next_step == "many"


def test_an_item_s_answer_to_a_question_a_change_hides_goes(repeat: Service) -> None:
    done = ["business", "vehicles", "name"]
    answers = {"business": "yes", "vehicles": [CAR, VAN], "full_name": "A Person"}
    j = journey(repeat, answers, done)
    business = page(repeat, "business")
    j.record(business, {"business": "no"})
    assert j.complete and j.items(page(repeat, "vehicles")) == [CAR, VAN_WITHOUT_FLEET]
    j.record(business, {"business": "yes"})
    assert j.complete  # the fleet number is optional: not asked, and not sent unasked
    assert j.submission_answers()["vehicles"] == [CAR, VAN_WITHOUT_FLEET]


VAN_WITHOUT_FLEET = {"registration": "XY99 ZZZ", "fuel": "diesel"}


def test_a_question_hidden_inside_items_is_neither_shown_nor_submitted(repeat: Service) -> None:
    done = ["business", "vehicles", "name"]
    answers = {"business": "no", "vehicles": [CAR, VAN], "full_name": "A Person"}
    j = journey(repeat, answers, done)
    rows = list(j.summary())
    assert [(row.label, row.item, row.step) for row in rows[1:3]] == [
        ("Vehicle 1", 1, Step("vehicles", 1)),
        ("Vehicle 2", 2, Step("vehicles", 2)),
    ]
    assert rows[2].value == {"registration": "XY99 ZZZ", "fuel": "diesel"}  # no fleet number
    assert j.submission_answers() == {
        "business": "no",
        "vehicles": [CAR, {"registration": "XY99 ZZZ", "fuel": "diesel"}],
        "full_name": "A Person",
    }
    shown = journey(repeat, {**answers, "business": "yes"}, done)
    assert shown.submission_answers()["vehicles"][1] == VAN


def test_an_item_row_shows_each_answer_on_its_own_line_escaped(repeat: Service) -> None:
    vehicles = page(repeat, "vehicles")
    row = SummaryRow(
        vehicles, None, {"registration": "<b>", "fuel": "diesel"}, 1, tuple(vehicles.questions)
    )
    assert row.display() == Markup("&lt;b&gt;<br>diesel")
    assert row.step == Step("vehicles", 1)
    question = vehicles.questions[1]
    single = SummaryRow(vehicles, question, "electric")
    assert (single.label, single.display(), single.step) == (
        "What fuel does it use?",
        "electric",
        Step("vehicles"),
    )


def test_back_goes_to_the_page_before_on_the_route(service: Service) -> None:
    answers = {"age": 30, "pets": ["cat"], "newsletter": "no"}
    j = journey(service, answers, ["age", "pets", "notice", "contact"])
    assert [j.previous(p) for p in ("age", "pets", "notice", "contact")] == [
        None,
        "age",
        "pets",
        "notice",
    ]
    assert j.previous("dog-name") is None  # off the route
    assert j.previous("check-answers") == "contact"
    assert j.on_route("notice") and not j.on_route("dog-name")


def test_after_a_page_the_route_goes_on_to_the_next_page(service: Service) -> None:
    j = journey(service, {"age": 30, "pets": ["cat"]}, ["age", "pets", "notice"])
    assert j.after(page(service, "age"), changing=False) == "pets"
    assert j.after(page(service, "pets"), changing=False) == "notice"
    assert j.after(page(service, "notice"), changing=False) == "contact"
    assert j.after(page(service, "dog-name"), changing=False) == "contact"  # off the route


def test_kept_answers_are_stored_but_the_page_still_needs_finishing(service: Service) -> None:
    j = journey(service, {"age": 30}, ["age"])
    j.keep(page(service, "pets"), {"pets": ["cat"], "other": None})
    assert j.state.answers == {"age": 30, "pets": ["cat"]}
    assert j.next_step == "pets" and not j.is_complete(page(service, "pets"))


def test_check_answers_can_list_optional_questions_left_blank(service: Service) -> None:
    answers = {"age": 30, "pets": ["cat"], "newsletter": "no"}
    j = journey(service, answers, ["age", "pets", "notice", "contact"])
    assert [row.question.id for row in j.summary() if row.question] == ["age", "pets", "newsletter"]
    blanks = [(row.question.id, row.value) for row in j.summary(with_blanks=True) if row.question]
    assert blanks == [("age", 30), ("pets", ["cat"]), ("email", None), ("newsletter", "no")]


def test_a_stored_answer_that_is_no_longer_valid_is_found_before_sending(
    service: Service, repeat: Service
) -> None:
    answers = {"age": 30, "pets": ["cat"], "newsletter": "no"}
    done = ["age", "pets", "notice", "contact"]
    assert journey(service, answers, done).first_invalid() is None
    found = journey(service, {**answers, "age": 200}, done).first_invalid()
    assert found is not None and found[0] == Step("age") and found[1].question == "age"
    items = [CAR, {"registration": "B", "fuel": "coal"}]
    bad = journey(
        repeat,
        {"business": "no", "vehicles": items, "full_name": "A"},
        ["business", "vehicles", "name"],
    ).first_invalid()
    assert bad is not None and bad[0] == Step("vehicles", 2) and bad[1].question == "fuel"


def test_a_page_is_read_from_the_form_for_its_visible_questions_only(service: Service) -> None:
    j = journey(service, {"age": 16}, ["age"])
    form = {"email": "not-an-email", "newsletter": "yes", "staff_note": "x"}
    raws, values, errors = read_page(j, page(service, "contact"), form)
    assert list(raws) == ["email"] and values == {} and [e.question for e in errors] == ["email"]
    raws, values, errors = read_page(j, page(service, "contact"), {"email": "a@b.co"})
    assert values == {"email": "a@b.co"} and errors == []


def test_submitted_rows_follow_the_definition_with_a_row_per_item(repeat: Service) -> None:
    answers = {"full_name": "A", "vehicles": [CAR, VAN], "business": "yes"}
    rows = submitted_rows(repeat, answers)
    assert [(row.page.id, row.question.id if row.question else row.item) for row in rows] == [
        ("business", "business"),
        ("vehicles", 1),
        ("vehicles", 2),
        ("name", "full_name"),
    ]
    assert rows[2].value == VAN
    assert submitted_rows(repeat, {"vehicles": None}) == []


STAFF_ONLY = """\
id: staff-only
title: Staff only
pages:
  - id: how
    title: About the call
    questions:
      - id: caller
        type: yes_no
        label: Is the resident on the phone?
        audience: staff
      - id: name
        type: text
        label: Your name
  - id: phone
    show_when: {caller: "yes"}
    questions:
      - id: phone
        type: text
        label: Phone number
  - id: last
    questions:
      - id: note
        type: text
        label: Anything else?
"""


def test_an_answer_only_staff_give_routes_only_the_staff_journey() -> None:
    result = load_text(STAFF_ONLY, "staff-only.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    answers = {"caller": "yes", "name": "A"}
    assert ids(journey(result.service, answers, ["how"], "staff")) == ["how", "phone"]
    assert ids(journey(result.service, answers, ["how"], "resident")) == ["how", "last"]


def test_the_last_page_of_a_route_leads_to_check_answers_or_stays(service: Service) -> None:
    answers = {"age": 30, "pets": ["cat"], "newsletter": "no"}
    j = journey(service, answers, ["age", "pets", "notice", "contact"])
    assert j.after(page(service, "contact"), changing=False) == "check-answers"
    first = journey(service, {}, [])
    assert first.after(page(service, "age"), changing=False) == "age"  # still needs an answer


def test_removing_an_item_removes_that_item(repeat: Service) -> None:
    vehicles = page(repeat, "vehicles")
    j = journey(repeat, {"vehicles": [CAR, VAN, {"registration": "C", "fuel": "electric"}]}, [])
    j.remove_item(vehicles, 2)
    assert [item["registration"] for item in j.items(vehicles)] == ["AB12 CDE", "C"]


def test_a_blank_optional_row_links_to_its_own_page(service: Service) -> None:
    answers = {"age": 30, "pets": ["cat"], "newsletter": "no"}
    j = journey(service, answers, ["age", "pets", "notice", "contact"])
    blank = [row for row in j.summary(with_blanks=True) if row.value is None]
    assert [(row.page.id, row.step) for row in blank] == [("contact", Step("contact"))]


def test_submitted_rows_display_their_answers(repeat: Service) -> None:
    rows = submitted_rows(repeat, {"business": "yes", "vehicles": [VAN]})
    assert [row.display() for row in rows] == ["Yes", Markup("XY99 ZZZ<br>diesel<br>F7")]


def test_typed_text_is_kept_by_page_and_by_item_and_goes_when_answered(repeat: Service) -> None:
    vehicles, business = page(repeat, "vehicles"), page(repeat, "business")
    assert typed_key(business) == "business" and typed_key(vehicles, 2) == "vehicles/2"
    j = journey(repeat, {"business": "no", "vehicles": [CAR]}, ["business"])
    j.state.typed.update({"business": {"b": "x"}, "vehicles/2": {"r": "y"}, "vehicles/3": {}})
    j.record_item(vehicles, 1, VAN)  # another item answered: item 2's text stays
    assert set(j.state.typed) == {"business", "vehicles/2", "vehicles/3"}
    j.record_item(vehicles, 2, CAR)  # item 2 answered: its text goes
    assert set(j.state.typed) == {"business", "vehicles/3"}
    j.state.typed["vehicles/2"] = {"r": "z"}
    j.remove_item(vehicles, 1)  # the items after it are renumbered: all their text goes
    assert set(j.state.typed) == {"business"}
    j.record(business, {"business": "yes"})
    assert j.state.typed == {} and "typed" not in j.state.to_json()


def test_saying_no_more_items_lets_go_of_a_half_done_item(repeat: Service) -> None:
    vehicles = page(repeat, "vehicles")
    j = journey(repeat, {"business": "no", "vehicles": [CAR]}, ["business"])
    j.state.typed.update({"business": {"b": "x"}, "vehicles/2": {"r": "y"}})
    j.finish(vehicles)  # "No" on the list: the item begun and not finished is left behind
    assert set(j.state.typed) == {"business"} and j.state.items(vehicles) == [CAR]
