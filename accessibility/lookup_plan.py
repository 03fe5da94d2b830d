"""The address lookup's page states for the sweep: found, none found, lookup failing,
nothing chosen, a building not found, the address typed by hand, and an address already
chosen shown above the search.

The sweep's app asks the development stand-in for OS Places (service_builder/dev_places.py),
whose postcodes say which answer it gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from accessibility.plan import Action, PageState, form_fields
from service_builder.dev_places import (
    ADDRESSES,
    EMPTY_POSTCODE,
    FAILING_POSTCODE,
    FOUND_POSTCODE,
)
from service_builder.explorer import Step
from service_builder.questions.composite import AddressQuestion


def lookup_states(step: Step, url: str, state: Callable[..., PageState]) -> Iterator[Action]:
    """Each state of a page whose address question looks addresses up."""
    questions = [q for q in step.page.questions if q.id in step.inputs]
    for question in questions:
        if isinstance(question, AddressQuestion) and question.lookup:
            yield from _states(question, url, step.page.id, state)


def _states(
    question: AddressQuestion, url: str, page: str, state: Callable[..., PageState]
) -> Iterator[Action]:
    results, manual = f"{url}?lookup=results", f"{url}?lookup=manual"

    def find(postcode: str, building: str = "") -> tuple[tuple[str, str], ...]:
        return form_fields(
            {
                question.step_field: "find",
                question.lookup_field("postcode"): postcode,
                question.lookup_field("building"): building,
            }
        )

    def seen(note: str, kind: str = "question") -> PageState:
        return state(results, page, kind, f"address lookup: {note}")

    yield Action("submit", url, find(FOUND_POSTCODE), check=seen("addresses found"))
    yield Action(
        "submit",
        results,
        form_fields({question.step_field: "choose", question.lookup_field("uprn"): ""}),
        check=seen("no address chosen", "question-error"),
        expect_status=400,
    )
    yield Action(
        "submit", url, find(FOUND_POSTCODE, "999"), check=seen("building not found, all listed")
    )
    yield Action("submit", url, find(EMPTY_POSTCODE), check=seen("no addresses found"))
    yield Action("submit", url, find(FAILING_POSTCODE), check=seen("lookup not working"))
    yield Action(
        "get", manual, check=state(manual, page, "question", "address lookup: typed by hand")
    )
    # an address already chosen (Back, Change, a resumed draft): shown above the search
    uprn = str(ADDRESSES[FOUND_POSTCODE][0]["UPRN"])
    choose = form_fields({question.step_field: "choose", question.lookup_field("uprn"): uprn})
    yield Action("fetch", url, find(FOUND_POSTCODE), expect_status=302)
    yield Action("fetch", results, choose, expect_status=302)
    postcode = f"{url}?lookup=postcode"
    saved = "address lookup: saved address shown"
    yield Action("get", postcode, check=state(postcode, page, "question", saved))
