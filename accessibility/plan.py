"""The page states to check, generated from the definitions: never a hand-written list.

A plan is a list of actions a browser performs in order. Actions that carry a PageState are
followed by an axe run on the page the browser is then showing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from service_builder.definitions import Service
from service_builder.explorer import Route, Step, explore
from service_builder.modes import RESIDENT

Fields = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageState:
    url: str
    service: str | None
    page: str | None
    state: str
    """start, question, question-error, content, exit, check-answers, confirmation, site,
    staff or admin (the report contract's states)."""
    note: str = ""


StateFactory = Callable[..., PageState]


@dataclass(frozen=True)
class Action:
    kind: Literal["reset", "get", "submit", "fetch", "sign-in"]
    """reset: a new session; get: navigate; submit: navigate by posting a form; fetch: post in
    the background (to move the journey on); sign-in: sign a member of staff in."""
    url: str = ""
    fields: Fields = ()
    check: PageState | None = None
    expect_status: int | None = None


@dataclass
class Mode:
    """Where a journey runs: residents at /{service}/…, staff at /staff/{service}/…."""

    audience: str = RESIDENT.audience
    prefix: str = RESIDENT.url_prefix
    begin: Callable[[Service], list[Action]] = lambda service: []
    """What starts a journey in this mode (staff: sign in and choose a channel)."""
    states: dict[str, str] = field(default_factory=dict)
    """Overrides of state names (staff pages report as `staff`)."""
    send_fields: Fields = ()
    """What sending from check-your-answers needs besides the answers (staff: the
    resident's agreement to the declaration)."""


def form_fields(form: dict[str, object]) -> Fields:
    pairs: list[tuple[str, str]] = []
    for name, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item)))
    return tuple(pairs)


def service_plan(service: Service, mode: Mode | None = None) -> list[Action]:
    """Every page state of one service in one mode, in an order a browser can follow."""
    mode = mode or Mode()
    base = f"{mode.prefix}/{service.id}"

    def state(url: str, page: str | None, kind: str, note: str = "") -> PageState:
        return PageState(url, service.id, page, mode.states.get(kind, kind), note)

    actions: list[Action] = [Action("reset"), *mode.begin(service)]
    if service.start is not None and not mode.prefix:
        actions.append(Action("get", f"{base}/", check=state(f"{base}/", None, "start")))
    seen: set[str] = set()
    confirmed = False
    for route in explore(service, mode.audience):
        actions += [Action("reset"), *mode.begin(service)]
        actions += _route_actions(route, base, seen, state)
        if route.exit_page:
            continue
        summary = f"{base}/check-answers"
        actions.append(
            Action(
                "get",
                summary,
                check=state(summary, None, "check-answers", "route: " + " > ".join(route.page_ids)),
            )
        )
        if not confirmed:
            if mode.send_fields and service.declaration:
                actions.append(
                    Action(
                        "submit",
                        summary,
                        check=state(summary, None, "check-answers", "declaration not confirmed"),
                        expect_status=400,
                    )
                )
            confirmation = f"{base}/confirmation"
            actions.append(
                Action(
                    "submit",
                    summary,
                    mode.send_fields,
                    check=state(confirmation, None, "confirmation"),
                )
            )
            confirmed = True
    return actions


def _route_actions(
    route: Route, base: str, seen: set[str], state: StateFactory
) -> Iterator[Action]:
    for step in route.steps:
        url = f"{base}/{step.page.id}"
        first_visit = step.page.id not in seen
        seen.add(step.page.id)
        if first_visit:
            kind = "question" if step.page.type == "question" else step.page.type
            yield Action("get", url, check=state(url, step.page.id, kind))
        if step.page.type == "exit":
            return
        if first_visit and step.page.type == "question":
            yield from _error_states(step, url, state)
        yield Action("fetch", url, form_fields(step.form()), expect_status=302)


def _error_states(step: Step, url: str, state: StateFactory) -> Iterator[Action]:
    page = step.page
    questions = [q for q in page.questions if q.id in step.inputs]
    seen_empty = False
    for question in questions:
        for check, raw in question.invalid_inputs():
            if check == "required":
                if seen_empty:
                    continue
                seen_empty = True
                body = {name: value for q in questions for name, value in q.blank().items()}
                note = "empty submit"
            else:
                body = {**step.form(), **question.blank(), **raw}
                note = f"{question.id}: {check}"
            yield Action(
                "submit",
                url,
                form_fields(body),
                check=state(url, page.id, "question-error", note),
                expect_status=400,
            )


def site_plan(service_ids: Iterable[str]) -> list[Action]:
    """The site's own pages, including error pages and the session-expired page."""
    first = next(iter(service_ids), "")

    def site(url: str, note: str, status: int | None = None) -> Action:
        return Action(
            "get", url, check=PageState(url, None, None, "site", note), expect_status=status
        )

    return [
        Action("reset"),
        site("/", "service index"),
        site("/cookies", "cookies"),
        site("/privacy", "privacy notice"),
        site("/contact", "contact"),
        site("/accessibility-statement", "accessibility statement"),
        site(f"/session-expired?service={first}", "session expired"),
        site("/no-such-page/anywhere", "404 page not found", 404),
        Action(
            "submit",
            "/",
            (("x", "y"),),
            PageState("/", None, None, "site", "405 method not allowed"),
            405,
        ),
        Action(
            "submit",
            "/__a11y__/too-large",
            (("x", "x" * 300_000),),
            PageState("/__a11y__/too-large", None, None, "site", "413 too large"),
            413,
        ),
        site("/__a11y__/form-expired", "400 form expired (CSRF)", 400),
        site("/__a11y__/too-many", "429 too many sign-in attempts", 429),
        site("/__a11y__/server-error", "500 server error", 500),
    ]
