"""The page states to check, generated from the definitions: never a hand-written list.

A plan is a list of actions a browser performs in order. Actions that carry a PageState are
followed by an axe run on the page the browser is then showing.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Literal

from accessibility.payment_plan import costs, payment_actions
from accessibility.save_return_plan import save_return_actions
from service_builder.definitions import Service
from service_builder.explorer import Route, Step, explore
from service_builder.modes import RESIDENT
from service_builder.questions.files import ExampleFile
from service_builder.steps import Step as Place
from service_builder.steps import step_url

Fields = tuple[tuple[str, str], ...]
MOBILE_WIDTH = 320
DESKTOP_WIDTH = 1280


@dataclass(frozen=True)
class PageState:
    url: str
    service: str | None
    page: str | None
    state: str
    """start, question, question-error, content, exit, check-answers, confirmation, site,
    staff or admin (the report contract's states)."""
    note: str = ""
    language: str = "en"
    """The page's language: services with several languages are swept in each."""


StateFactory = Callable[..., PageState]


@dataclass(frozen=True)
class Action:
    kind: Literal["reset", "get", "submit", "fetch", "sign-in", "resize"]
    """reset: a new session; get: navigate; submit: navigate by posting a form; fetch: post in
    the background (to move the journey on); sign-in: sign a member of staff in; resize: set
    the window's width in CSS px (`width`)."""
    url: str = ""
    fields: Fields = ()
    check: PageState | None = None
    expect_status: int | None = None
    width: int = 0


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


FILE_FIELD = "sb-file:"
"""Marks a field whose value is a file: `sb-file:{repeat}:{name}:{base64 bytes}` (the sweep's
script turns it into a real upload, the bytes repeated `repeat` times)."""


def form_fields(form: dict[str, object]) -> Fields:
    pairs: list[tuple[str, str]] = []
    for name, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ExampleFile):
                content = base64.b64encode(item.content).decode()
                pairs.append((name, f"{FILE_FIELD}{item.repeat}:{item.filename}:{content}"))
            else:
                pairs.append((name, str(item)))
    return tuple(pairs)


def service_plan(service: Service, mode: Mode | None = None) -> list[Action]:
    """Every page state of one service in one mode, in each of the service's languages."""
    plan = _one_language_plan(service, mode or Mode())
    actions = list(plan)
    for language in service.languages[1:]:
        actions += [in_language(action, language) for action in plan]
    return actions


def in_language(action: Action, language: str) -> Action:
    """The same action with `?lang=` on its address: the page, and the session, switch."""
    if action.kind in ("reset", "sign-in") or not action.url:
        return action
    joiner = "&" if "?" in action.url else "?"
    check = action.check
    if check is not None:
        check = replace(check, url=f"{check.url}{joiner}lang={language}", language=language)
    return replace(action, url=f"{action.url}{joiner}lang={language}", check=check)


def _one_language_plan(service: Service, mode: Mode) -> list[Action]:
    base = f"{mode.prefix}/{service.id}"

    def state(url: str, page: str | None, kind: str, note: str = "") -> PageState:
        return PageState(url, service.id, page, mode.states.get(kind, kind), note)

    actions: list[Action] = [Action("reset"), *mode.begin(service)]
    if service.start is not None and not mode.prefix:
        actions.append(Action("get", f"{base}/", check=state(f"{base}/", None, "start")))
    seen: set[str] = set()
    changed: set[str] = set()
    confirmed = paid = False
    for route in explore(service, mode.audience):
        actions += [Action("reset"), *mode.begin(service)]
        actions += _route_actions(route, service, mode.prefix, seen, state)
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
        actions += _change_states(route, service, mode.prefix, changed, state)
        if not confirmed:
            staff_pay = mode.audience != RESIDENT.audience and costs(service, route)
            actions.append(  # sent from a tab opened before another changed the answers
                Action(
                    "submit",
                    summary,
                    (*mode.send_fields, ("answers_seen", "changed-elsewhere")),
                    check=state(summary, None, "check-answers", "answers changed in another tab"),
                    expect_status=400 if staff_pay else 409,  # with the card reference's error
                )
            )
            if mode.send_fields and service.declaration:
                actions.append(
                    Action(
                        "submit",
                        summary,
                        (("declaration_shown", "1"),),  # as the page's own form says
                        check=state(summary, None, "check-answers", "declaration not confirmed"),
                        expect_status=400,
                    )
                )
            confirmation = f"{base}/confirmation"
            if costs(service, route):  # paid first: at GOV.UK Pay, or by phone for staff
                staff = mode.audience != RESIDENT.audience
                actions += payment_actions(service, base, staff, mode.send_fields, state)
                paid = True
            else:
                actions.append(
                    Action(
                        "submit",
                        summary,
                        mode.send_fields,
                        check=state(confirmation, None, "confirmation"),
                    )
                )
            again = step_url(service.id, route.steps[0].page.id, mode.prefix)
            note = "Back after sending: already sent"
            actions.append(Action("get", again, check=state(again, None, "question", note)))
            confirmed = True
        elif not paid and costs(service, route):
            staff = mode.audience != RESIDENT.audience
            actions += payment_actions(service, base, staff, mode.send_fields, state)
            paid = True
    if service.save_and_return and not mode.prefix:  # residents only
        actions += save_return_actions(service, state)
    return actions


def _route_actions(
    route: Route, service: Service, prefix: str, seen: set[str], state: StateFactory
) -> Iterator[Action]:
    for step in route.steps:
        url = step_url(service.id, step.page.id, prefix)
        first_visit = step.page.id not in seen
        seen.add(step.page.id)
        if step.page.repeats:
            yield from _repeat_actions(step, service, prefix, first_visit, state)
            continue
        if first_visit:
            kind = "question" if step.page.type == "question" else step.page.type
            yield Action("get", url, check=state(url, step.page.id, kind))
        if step.page.type == "exit":
            return
        if first_visit and step.page.type == "question":
            yield from _error_states(step, url, state)
            yield from _lookup_states(step, url, state)
        yield Action("fetch", url, form_fields(step.form()), expect_status=302)
        if first_visit and step.page.type == "question":
            yield from _file_states(step, url, state)


def _file_states(step: Step, url: str, state: StateFactory) -> Iterator[Action]:
    from accessibility.file_plan import file_states  # it builds on this module's actions

    return file_states(step, url, state)


def _lookup_states(step: Step, url: str, state: StateFactory) -> Iterator[Action]:
    from accessibility.lookup_plan import lookup_states  # it builds on this module's actions

    return lookup_states(step, url, state)


def _repeat_actions(
    step: Step, service: Service, prefix: str, first_visit: bool, state: StateFactory
) -> Iterator[Action]:
    """A repeat page: item 1 (and its errors), the list (and its error), the remove
    question (and its error), then the items the route adds and its way on."""
    page = step.page.id

    def url(place: Place) -> str:
        return step_url(service.id, place, prefix)

    first, listing, remove = url(Place(page, 1)), url(Place(page)), url(Place(page, 1, True))
    if first_visit:
        yield Action("get", first, check=state(first, page, "question", "repeat: item 1"))
        yield from _error_states(step, first, state, step.item_form(1))
    for number in range(1, len(step.items) + 1):
        yield Action(
            "fetch",
            url(Place(page, number)),
            form_fields(step.item_form(number)),
            expect_status=302,
        )
    if first_visit:
        yield Action("get", listing, check=state(listing, page, "question", "repeat: the list"))
        if len(step.items) < step.page.most_items:
            yield Action(
                "submit",
                listing,
                check=state(listing, page, "question-error", "repeat: add another not answered"),
                expect_status=400,
            )
        stale = f"{first}?item_was=changed-elsewhere"  # a link from a list since changed
        note = "repeat: the list, changed in another tab"
        yield Action("get", stale, check=state(listing, page, "question", note))
        yield Action("get", remove, check=state(remove, page, "question", "repeat: remove item"))
        yield Action(
            "submit",
            remove,
            check=state(remove, page, "question-error", "repeat: remove not answered"),
            expect_status=400,
        )
    yield Action("fetch", listing, form_fields(step.form()), expect_status=302)


def _change_states(
    route: Route, service: Service, prefix: str, changed: set[str], state: StateFactory
) -> Iterator[Action]:
    """Question pages opened from check-your-answers' Change links, with the answers filled
    in, and their error states (each page once)."""
    for step in route.steps:
        if step.page.type not in ("question", "repeat") or step.page.id in changed:
            continue
        changed.add(step.page.id)
        place = Place(step.page.id, 1 if step.page.repeats else None)
        url = step_url(service.id, place, prefix, change=True)
        note = "from a Change link, answers filled in"
        yield Action("get", url, check=state(url, step.page.id, "question", note))
        form = step.item_form(1) if step.page.repeats else step.form()
        # one error state is enough here: the other kinds were swept on the first visit
        changing = _error_states(step, url, state, form, "from a Change link: ", files_held=True)
        yield from islice(changing, 1)


def _error_states(
    step: Step,
    url: str,
    state: StateFactory,
    form: dict[str, object] | None = None,
    prefix: str = "",
    files_held: bool = False,
) -> Iterator[Action]:
    """The page's error states. With `files_held` (its answers filled in, from a Change link)
    a file question is answered by the file it holds: Continue with no new file keeps it."""
    page = step.page
    form = step.form() if form is None else form
    questions = [q for q in page.questions if q.id in step.inputs]
    seen_empty = False
    for question in questions:
        for check, raw in question.invalid_inputs():
            if check == "required":
                if seen_empty or (files_held and question.type == "file"):
                    continue
                seen_empty = True
                body = {name: value for q in questions for name, value in q.blank().items()}
                note = "empty submit"
            else:
                body = {**form, **question.blank(), **raw}
                note = f"{question.id}: {check}"
            yield Action(
                "submit",
                url,
                form_fields(body),
                check=state(url, page.id, "question-error", prefix + note),
                expect_status=400,
            )


def at_width(actions: list[Action], width: int, label: str) -> list[Action]:
    """The same page states again at another window width (the notes say which)."""
    again = [
        replace(a, check=replace(a.check, note=f"{a.check.note} ({label})".strip()))
        if a.check is not None
        else a
        for a in actions
    ]
    return [Action("resize", width=width), *again, Action("resize", width=MOBILE_WIDTH)]


def site_plan(service_ids: Iterable[str] | Mapping[str, Service]) -> list[Action]:
    """The site's own pages, including error pages and the session-expired page; given the
    services themselves, the pages that can be read in another language are swept in it too."""
    first = next(iter(service_ids), "")
    site_languages: list[str] = []
    if isinstance(service_ids, Mapping):
        for service in service_ids.values():
            site_languages += [c for c in service.languages if c not in [*site_languages, "en"]]

    def site(url: str, note: str, status: int | None = None) -> Action:
        return Action(
            "get", url, check=PageState(url, None, None, "site", note), expect_status=status
        )

    return _site_actions(first, site) + [
        in_language(action, language)
        for language in site_languages
        for action in _site_actions(first, site)
        if action.kind in ("reset", "get")
    ]


def _site_actions(first: str, site: Callable[..., Action]) -> list[Action]:
    return [
        Action("reset"),
        site("/", "service index"),
        site("/cookies", "cookies"),
        site("/privacy", "privacy notice"),
        site("/contact", "contact"),
        site("/accessibility-statement", "accessibility statement"),
        site(f"/{first}/feedback", "feedback"),
        Action(
            "submit",
            f"/{first}/feedback",
            (),
            PageState(f"/{first}/feedback", None, None, "site", "feedback: nothing chosen"),
            400,
        ),
        Action(
            "submit",
            f"/{first}/feedback",
            (("satisfaction", "satisfied"),),
            PageState(f"/{first}/feedback/thank-you", None, None, "site", "feedback sent"),
        ),
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
