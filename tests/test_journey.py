"""The journey: routes recomputed from answers, skips, exits, changes and audiences."""

from __future__ import annotations

from typing import Any

import pytest

from service_builder.definitions import Service, load_definition
from service_builder.journey import DraftState, Journey
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


def test_recording_a_page_replaces_its_earlier_answers(service: Service) -> None:
    j = journey(service, {"age": 30, "pets": ["cat"], "email": "a@b.co"}, ["age", "pets"])
    contact = service.page("contact")
    assert contact is not None
    j.record(contact, {"email": None, "newsletter": "yes"})
    assert "email" not in j.state.answers
    assert j.state.answers["newsletter"] == "yes"
