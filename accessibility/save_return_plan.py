"""The page states of 'Save and come back later', for services that offer it (residents only).

The resume link's token is random and only in the email, so the sweep app has a route that
forwards to the newest link (`/__a11y__/save-link/{service}`, see server.py): a GET opens
it, a POST is passed on with its fields (307), as the resident's browser would post them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from service_builder.definitions import Service
from service_builder.explorer import explore

if TYPE_CHECKING:
    from accessibility.plan import Action, PageState

EMAIL = "a11y.sweep@example.com"


def save_return_actions(service: Service, state: Callable[..., PageState]) -> Iterator[Action]:
    """Save from the first question, the email page and its errors, the saved page; then the
    link: its email question, its errors, and the page once the link has been used."""
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
    yield Action("submit", link, (("email", EMAIL),))  # followed: a fetch would not be
    yield Action("reset")
    yield Action(
        "get", link, check=state(link, None, "content", note + "a used link"), expect_status=410
    )
