"""The page states of 'Save and come back later', for services that offer it (residents only).

The resume link's token is random and only in the email, so the sweep app has a route that
forwards to the newest link (`/__a11y__/save-link/{service}`, see server.py): a GET opens
it, a POST is passed on with its fields (307), as the resident's browser would post them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from service_builder.definitions import Service
from service_builder.explorer import Route, explore

if TYPE_CHECKING:
    from accessibility.plan import Action, PageState

EMAIL = "a11y.sweep@example.com"


def save_return_actions(service: Service, state: Callable[..., PageState]) -> Iterator[Action]:
    """Save from the first question, the email page and its errors, the saved page; then the
    link: its email question, its errors, the page it brings back (with the banner) and the
    link once used; then a repeat list with the button, and with the banner."""
    from accessibility.plan import Action, form_fields  # here: plan imports this module

    route = next(iter(explore(service, "resident")), None)
    if route is None or not route.steps:
        return
    first = route.steps[0]
    base = f"/{service.id}"
    ask, saved, link = (
        f"{base}/save-for-later",
        f"{base}/saved",
        f"/__a11y__/save-link/{service.id}",
    )
    note = "save and return: "
    yield Action("reset")
    save = {**first.form(), "save_for_later": "1"}
    yield Action("fetch", f"{base}/{first.page.id}", form_fields(save), expect_status=302)
    yield Action("get", ask, check=state(ask, None, "question", note + "email address"))
    for fields, what in (
        ((("email", ""),), "no email address"),
        ((("email", "x.example"),), "bad email address"),
    ):
        yield Action(
            "submit",
            ask,
            fields,
            check=state(ask, None, "question-error", note + what),
            expect_status=400,
        )
    yield Action(
        "submit",
        ask,
        (("email", EMAIL),),
        check=state(saved, None, "confirmation", note + "link sent"),
    )
    yield Action("reset")
    yield Action("get", link, check=state(link, None, "question", note + "the link: which email"))
    for fields, what in (
        ((("email", ""),), "no email address"),
        ((("email", "other@example.com"),), "wrong email address"),
    ):
        yield Action(
            "submit",
            link,
            fields,
            check=state(link, None, "question-error", note + "the link: " + what),
            expect_status=400,
        )
    back, kind = _landing(route, base)
    yield Action(  # followed, as a browser would: the page it lands on has the banner
        "submit",
        link,
        (("email", EMAIL),),
        check=state(back, None, kind, note + "back from the link, with the banner"),
    )
    yield Action("reset")
    yield Action(
        "get", link, check=state(link, None, "content", note + "a used link"), expect_status=410
    )
    yield from _repeat_list_actions(route, base, link, state)


def _landing(route: Route, base: str) -> tuple[str, str]:
    """Where the link brings back a draft saved on the route's first page (its answers
    complete): the page after it, and that page's state."""
    if len(route.steps) < 2:
        return f"{base}/check-answers", "check-answers"
    page = route.steps[1].page
    if page.repeats and page.fewest_items > 0:  # the list goes straight on to item 1
        return f"{base}/{page.id}/1", "question"
    return f"{base}/{page.id}", "question" if page.type in ("question", "repeat") else page.type


def _repeat_list_actions(
    route: Route, base: str, link: str, state: Callable[..., PageState]
) -> Iterator[Action]:
    """The first repeat list on the route with its save button, saving from it with 'add
    another?' unanswered, and the list again with the banner once the link brings it back."""
    from accessibility.plan import Action, form_fields

    steps = list(route.steps)
    index = next((n for n, step in enumerate(steps) if step.page.repeats), None)
    if index is None:
        return
    page = steps[index].page
    listing = f"{base}/{page.id}"
    note = "save and return: "
    yield Action("reset")
    for step in steps[:index]:
        yield Action("fetch", f"{base}/{step.page.id}", form_fields(step.form()), expect_status=302)
    for number in range(1, len(steps[index].items) + 1):
        body = form_fields(steps[index].item_form(number))
        yield Action("fetch", f"{listing}/{number}", body, expect_status=302)
    check = state(listing, page.id, "question", note + "a repeat list with its button")
    yield Action("get", listing, check=check)
    yield Action("submit", listing, (("save_for_later", "1"),))  # on to the email page
    yield Action("submit", f"{base}/save-for-later", (("email", EMAIL),))
    yield Action("reset")
    back = state(listing, page.id, "question", note + "back at the repeat list, with the banner")
    yield Action("submit", link, (("email", EMAIL),), check=back)
