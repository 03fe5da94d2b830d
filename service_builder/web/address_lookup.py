"""Address lookup: find the address by postcode, choose it from a list, or type it in.

The GOV.UK address lookup pattern, without JavaScript, for an address question with
`lookup: true` (alone on its page). The page has three states at its own URL:
`?lookup=postcode` (the default), `?lookup=results` and `?lookup=manual`. Each form says
which step it answers in `{id}-step` (`find`, `choose`); a POST with only the four address
fields is a typed address, as for any address question, so such clients keep working.
The postcode (and building) searched for is kept in the session (one per draft: an agent may
have two calls at one service's address in two tabs), never in a URL, a draft or
a log, and only until the question is answered: the cookie is signed, not encrypted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from flask import current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from service_builder.definitions.schema import CHECK_ANSWERS, Page
from service_builder.journey import Journey, read_page
from service_builder.messages import N_, NP_
from service_builder.models import Draft
from service_builder.os_places import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    AddressFinder,
    FoundAddress,
    LookupUnavailable,
)
from service_builder.performance import events
from service_builder.questions import AnswerError, Raw
from service_builder.questions.composite import AddressQuestion, AddressSearch
from service_builder.submissions import save_change
from service_builder.web import typed
from service_builder.web.fields import (
    PageView,
    RenderedField,
    error_summary,
    page_view,
    stored_raws,
)
from service_builder.web.limits import address_lookup_limit, charge

if TYPE_CHECKING:
    from service_builder.web.runner import JourneyRunner

View = Response | tuple[str, int] | str
SEARCHES = "address_searches"
STATES = ("postcode", "results", "manual")
FOUND = NP_("%(num)s address found", "%(num)s addresses found")
STEP_TITLES = {
    "postcode": N_("Find the address"),
    "saved": N_("Saved address"),
    "results": N_("Select the address"),
    "none": N_("No addresses found"),
    "unavailable": N_("Cannot look up addresses"),
    "manual": N_("Enter the address"),
}
"""Each state's part of the page title, so the pages at one URL are told apart: the search
with an address already saved, and a search with nothing to select, have their own."""


@dataclass(frozen=True)
class Results:
    """What a search found: the addresses to choose from, and why there may be none."""

    search: AddressSearch
    addresses: list[FoundAddress]
    unavailable: bool = False
    """The lookup could not be asked (no key, an error, a timeout)."""
    building_unmatched: bool = False
    """A building was given but matched none: every address at the postcode is listed."""


def finder() -> AddressFinder:
    config = current_app.config
    return AddressFinder(
        config.get("OS_PLACES_API_KEY"),
        config.get("OS_PLACES_BASE_URL") or DEFAULT_BASE_URL,
        float(config.get("OS_PLACES_TIMEOUT", DEFAULT_TIMEOUT)),
    )


def look_up(search: AddressSearch) -> Results:
    charge(address_lookup_limit, "address-lookup")  # each search is a paid OS Places call
    try:
        found = finder().find(search.postcode)
    except LookupUnavailable:
        return Results(search, [], unavailable=True)
    if not search.building:
        return Results(search, found)
    matching = [address for address in found if address.matches(search.building)]
    return Results(search, matching or found, building_unmatched=not matching)


@dataclass(frozen=True)
class Visit:
    """One request to a lookup page: whose journey, which page and question, which draft."""

    journey: Journey
    page: Page
    question: AddressQuestion
    draft: Draft | None
    changing: bool


class AddressLookupViews:
    """The lookup's states and steps, served by the journey runner for its page."""

    def __init__(self, runner: JourneyRunner) -> None:
        self.runner = runner

    @staticmethod
    def question(journey: Journey, page: Page) -> AddressQuestion | None:
        """The page's address question that looks addresses up, if it has one."""
        if page.repeats:
            return None
        found = (q for q in journey.questions(page) if isinstance(q, AddressQuestion))
        return next((q for q in found if q.lookup), None)

    def page(
        self,
        journey: Journey,
        page: Page,
        question: AddressQuestion,
        draft: Draft | None,
        changing: bool,
    ) -> View:
        visit = Visit(journey, page, question, draft, changing)
        if request.method == "POST":
            return self.post(visit)
        if draft is not None:
            self.runner.audit("viewed", draft, page)
        events.page_viewed(journey.service, page, draft)
        state = request.args.get("lookup")
        held = typed.held(journey, page).get(question.id)  # saved here with errors
        held_step = question.step(held) if isinstance(held, dict) else None
        if state not in STATES:
            stored = journey.state.answers.get(question.id)
            by_hand = isinstance(stored, dict) and not stored.get("uprn")
            state = "manual" if by_hand or held_step == "manual" else "postcode"
        if state == "manual":
            raws = self.manual_raws(visit)
            if held_step == "manual":
                return self.render_manual(visit, *typed.shown(journey, page, raws))
            return self.render_manual(visit, raws, [])
        search = self.searched(visit)
        if state == "results":
            if search is None:
                return redirect(self.url(visit, "postcode"))
            return self.render_results(visit, look_up(search), [])
        if held_step == "find" and search is None and held is not None:
            return self.render_postcode(visit, held, search_errors(question, held))
        return self.render_postcode(visit, self.search_raw(visit), [])

    def post(self, visit: Visit) -> View:
        service, page, question = visit.journey.service, visit.page, visit.question
        form: Any = request.form
        raw = question.read(form)
        step = question.step(raw)
        if step == "find":
            try:
                search = question.search(raw)
            except AnswerError as error:
                events.page_errors(service, page, visit.draft, [error])
                return self.render_postcode(visit, raw, [error]), 400
            self.remember(visit, search)
            return redirect(self.url(visit, "results"))
        if step == "choose":
            return self.choose(visit, raw)
        raws, values, errors = read_page(visit.journey, page, request.form)
        if errors:
            events.page_errors(service, page, visit.draft, errors)
            return self.render_manual(visit, raws, errors), 400
        saved = self.runner.save_answers(service, page, values, visit.draft, visit.changing)
        self.done_with(visit)  # the search is no longer needed, nor kept in the cookie
        return saved

    def choose(self, visit: Visit, raw: Raw) -> View:
        """The address chosen from the list, looked up again: the form only names a UPRN."""
        search = self.searched(visit)
        if search is None:
            return redirect(self.url(visit, "postcode"))
        question = visit.question
        results = look_up(search)
        if not results.addresses:  # the lookup failed since the list was shown: say so
            return self.render_results(visit, results, [])
        uprn = raw.get(question.lookup_field("uprn"))
        chosen = next((a for a in results.addresses if a.uprn == uprn), None)
        try:
            if chosen is None:
                raise question.choice_error()
            value = question.clean(question.raw_from_answer(chosen.answer))
        except AnswerError as error:
            events.page_errors(visit.journey.service, visit.page, visit.draft, [error])
            return self.render_results(visit, results, [error]), 400
        saved = self.runner.save_answers(
            visit.journey.service, visit.page, {question.id: value}, visit.draft, visit.changing
        )
        self.done_with(visit)  # the search is no longer needed, nor kept in the cookie
        return saved

    def keep_for_later(self, journey: Journey, page: Page, draft: Draft) -> bool:
        """A save from one of the lookup's own forms (a resident's 'Save and come back later',
        an agent's 'Save and leave'), before the page's view: an address chosen from the list
        is saved as Continue saves it; otherwise the search is kept with the draft (the one
        posted, or the one that found the list) and the page opens on it again. Nothing is
        looked up unless an address was chosen. False for the typed address's form (or a
        page without a lookup), which is kept as any page's is."""
        question = self.question(journey, page)
        if question is None:
            return False
        form: Any = request.form
        raw = question.read(form)
        step = question.step(raw)
        if step == "manual":
            return False
        visit = Visit(journey, page, question, draft, request.args.get("change") == "1")
        if step == "choose":
            if raw.get(question.lookup_field("uprn")):
                chosen = self.choose(visit, raw)
                if isinstance(chosen, Response):
                    return True  # saved (or, the search gone, nothing to keep)
            search = self.searched(visit)
            raw = question.raw_for(search) if search else {}
        searched = (raw.get(question.lookup_field(key)) for key in ("postcode", "building"))
        if any(searched):  # nothing typed in the search: nothing to show again
            change = typed.keeping(page, {}, {question.id: raw})
            save_change(draft, change, self.runner.journey_for(journey.service))
        return True

    # -- the search, kept in the session -----------------------------------------------------
    def key(self, visit: Visit) -> str:
        """Whose search: one per draft (an agent's calls in two tabs, both at the address of
        one service, each search for their own caller)."""
        draft = visit.draft.id if visit.draft is not None else ""
        return f"{self.runner.name}:{visit.journey.service.id}:{visit.question.id}:{draft}"

    def remember(self, visit: Visit, search: AddressSearch) -> None:
        searches = dict(session.get(SEARCHES, {}))
        held = [search.postcode, search.building] if search.building else [search.postcode]
        searches[self.key(visit)] = held
        session[SEARCHES] = searches

    def done_with(self, visit: Visit) -> None:
        """The question answered (an address chosen, or typed): its search is not kept."""
        key = self.key(visit)
        self.keep_only(lambda kept: kept != key)

    def forget(self, service_id: str, draft: Draft | None = None) -> None:
        """A draft put down (an agent's 'Save and leave', starting again): the next caller's
        lookup must not open on this one's postcode. Only that draft's search, when it is
        known (another tab's call at the same service keeps its own)."""
        mine = f"{self.runner.name}:{service_id}:"
        ending = f":{draft.id}" if draft is not None else ""
        self.keep_only(lambda key: not (key.startswith(mine) and key.endswith(ending)))

    @staticmethod
    def keep_only(keeps: Callable[[str], bool]) -> None:
        """Drop the searches whose keys `keeps` refuses (and the session's entry once none is
        left); the session, and so the cookie, is changed only if one is dropped."""
        searches = session.get(SEARCHES, {})
        if all(keeps(key) for key in searches):
            return
        kept = {key: held for key, held in searches.items() if keeps(key)}
        if kept:
            session[SEARCHES] = kept
        else:
            session.pop(SEARCHES)

    def searched(self, visit: Visit) -> AddressSearch | None:
        held = session.get(SEARCHES, {}).get(self.key(visit))
        if not (isinstance(held, list) and len(held) in (1, 2)):
            return None
        return AddressSearch(*(str(part) for part in held))

    def manual_raws(self, visit: Visit) -> dict[str, Raw]:
        """The typed form filled in: the stored answer, but after 'I cannot find the address
        in the list' (or 'Enter the address manually' after a search) the postcode searched
        for, unless the stored address is already at that postcode."""
        raws = stored_raws(visit.journey, visit.page)
        search = self.searched(visit)
        if request.args.get("lookup") != "manual" or search is None:
            return raws
        question = visit.question
        postcode_field = question.field("postcode")
        stored = raws.get(question.id, {})
        if _same_postcode(str(stored.get(postcode_field, "")), search.postcode):
            return raws
        return {**raws, question.id: {postcode_field: search.postcode}}

    def search_raw(self, visit: Visit) -> Raw:
        """The postcode form filled in: the last search, else the stored answer's postcode."""
        question = visit.question
        search = self.searched(visit)
        stored = visit.journey.state.answers.get(question.id)
        if search is None and isinstance(stored, dict) and stored.get("postcode"):
            search = AddressSearch(str(stored["postcode"]))
        return question.raw_for(search or AddressSearch(""))

    # -- rendering ---------------------------------------------------------------------------
    def url(self, visit: Visit, state: str) -> str:
        base = self.runner.url(visit.journey.service, visit.page.id, change=visit.changing)
        return f"{base}{'&' if '?' in base else '?'}lookup={state}"

    def view(
        self, visit: Visit, fields: list[RenderedField], errors: list[AnswerError]
    ) -> PageView:
        view = page_view(visit.journey, visit.page, {}, [], autofill=self.runner.mode.autofill)
        return replace(view, fields=fields, errors=error_summary(errors))

    def saved(self, visit: Visit) -> dict[str, Any]:
        """A looked-up address already given (Back, a Change, a resumed draft): shown above
        the search with a way on that keeps it, as GOV.UK's address lookup does."""
        journey, question = visit.journey, visit.question
        stored = journey.state.answers.get(question.id)
        if not (isinstance(stored, dict) and stored.get("uprn")):
            return {}
        if not journey.is_complete(visit.page):
            return {}
        step = journey.after(visit.page, visit.changing)
        change = visit.changing and step != CHECK_ANSWERS
        return {
            "saved_address": question.display(stored),
            "keep_url": self.runner.url(journey.service, step, change=change),
        }

    def saved_uprn(self, visit: Visit) -> str:
        stored = visit.journey.state.answers.get(visit.question.id)
        return str(stored.get("uprn") or "") if isinstance(stored, dict) else ""

    def render_postcode(self, visit: Visit, raw: Raw, errors: list[AnswerError]) -> str:
        saved = self.saved(visit)
        view = self.view(visit, [], errors)
        if saved:  # the h1 comes before the saved address; the form's legend repeats it
            view = replace(view, heading_in_field=False)
        params = postcode_params(visit.question, raw, errors[0] if errors else None, view)
        if not visit.page.title and not view.heading_in_field:
            params["fieldset"]["legend"]["classes"] = "govuk-visually-hidden"  # h1 asks it
        if not self.runner.mode.autofill:
            for item in params["inputs"]:
                item["autocomplete"] = "off"
        view = replace(view, fields=[RenderedField("address", params)])
        back = self.runner.back_url(visit.journey, visit.page, visit.changing)
        title_key = "saved" if saved else "postcode"
        return self.render(visit, view, "postcode", back, title_key=title_key, **saved)

    def render_results(self, visit: Visit, results: Results, errors: list[AnswerError]) -> str:
        question = visit.question
        say = question.messages
        fields = []
        if results.addresses:
            count = say.ngettext(*FOUND, len(results.addresses))
            fields.append(
                RenderedField(
                    "govukSelect",
                    {
                        "id": question.lookup_field("uprn"),
                        "name": question.lookup_field("uprn"),
                        "label": {
                            "text": say.gettext(N_("Select the address")),
                            "classes": "govuk-label--m",
                        },
                        "items": [{"value": "", "text": count}]
                        + [{"value": a.uprn, "text": a.label} for a in results.addresses],
                        "value": request.form.get(question.lookup_field("uprn"), "")
                        if request.method == "POST"
                        else self.saved_uprn(visit),  # the saved address, pre-selected
                        "errorMessage": question.error_message(errors[0] if errors else None),
                    },
                )
            )
        view = replace(self.view(visit, fields, errors), heading_in_field=False)
        back = self.url(visit, "postcode")
        title_key = "results" if results.addresses else "none"
        if results.unavailable:
            title_key = "unavailable"
        return self.render(visit, view, "results", back, title_key=title_key, results=results)

    def render_manual(self, visit: Visit, raws: dict[str, Raw], errors: list[AnswerError]) -> str:
        view = page_view(
            visit.journey, visit.page, raws, errors, autofill=self.runner.mode.autofill
        )
        back: str | None
        if request.args.get("lookup") == "manual":
            back = self.url(visit, "results" if self.searched(visit) else "postcode")
        else:
            back = self.runner.back_url(visit.journey, visit.page, visit.changing)
        return self.render(visit, view, "manual", back)

    def render(
        self,
        visit: Visit,
        view: PageView,
        state: str,
        back: str | None,
        title_key: str | None = None,
        **more: Any,
    ) -> str:
        """The state's page; `title_key` (of STEP_TITLES) when its title is not the state's."""
        service = visit.journey.service
        return render_template(
            "question.html" if state == "manual" else "address_lookup.html",
            page=visit.page,
            view=view,
            lookup_state=state,
            lookup_title=visit.question.messages.gettext(STEP_TITLES[title_key or state]),
            step_field=visit.question.step_field,
            back_url=back,
            action=self.url(visit, state),
            find_url=self.url(visit, "postcode"),
            manual_url=self.url(visit, "manual"),
            **more,
            **self.runner.context(service, visit.draft),
        )


def _same_postcode(one: str, other: str) -> bool:
    return one.replace(" ", "").upper() == other.replace(" ", "").upper()


def search_errors(question: AddressQuestion, raw: Raw) -> list[AnswerError]:
    """A postcode search's problem (none when it can be looked up)."""
    try:
        question.search(raw)
    except AnswerError as error:
        return [error]
    return []


def postcode_params(
    question: AddressQuestion, raw: Raw, error: AnswerError | None, view: PageView
) -> dict[str, Any]:
    """The postcode form: a fieldset with the question as its legend, a postcode and an
    optional building name or number (the `address` macro draws it)."""
    say = question.messages
    legend = question.heading(view.heading_in_field)

    def field(key: str, label: str, **more: Any) -> dict[str, Any]:
        name = question.lookup_field(key)
        return {
            "id": name,
            "name": name,
            "value": raw.get(name, ""),
            "label": {"text": say.gettext(label)},
            "errorMessage": question.error_message(error)
            if error and error.field == name
            else None,
            **more,
        }

    return {
        "id": question.id,
        "fieldset": {"legend": legend},
        "hint": {"text": question.hint} if question.hint else None,
        "inputs": [
            field(
                "postcode",
                N_("Postcode"),
                autocomplete=question.part_autocomplete("postal-code"),
                classes="govuk-input--width-10",
                spellcheck=False,
            ),
            field(
                "building",
                N_("Building name or number (optional)"),
                hint={"text": say.gettext(N_("For example, 15 or Rose House"))},
                classes="govuk-!-width-two-thirds",
            ),
        ],
    }
