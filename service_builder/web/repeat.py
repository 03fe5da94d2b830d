"""Repeat pages ("add another"): the list, item and remove views the journey runner serves.

The GOV.UK *Add multiple things* pattern. `/{service}/{page}` lists the items and asks
whether to add another; `/{service}/{page}/{n}` asks item n's questions;
`/{service}/{page}/{n}/remove` confirms removing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import abort, make_response, redirect, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from service_builder.definitions.schema import CHECK_ANSWERS, Page
from service_builder.journey import Journey, SummaryRow, read_page
from service_builder.messages import N_, PC_, catalogue_text_in, translator
from service_builder.models import Draft
from service_builder.performance import events
from service_builder.questions import AnswerError, Question, Raw
from service_builder.questions.choices import YesNoQuestion
from service_builder.steps import Step
from service_builder.submissions import save_change
from service_builder.web import banners, typed
from service_builder.web.fields import RenderedField, changed_since, mark, stored_raws

if TYPE_CHECKING:
    from service_builder.web.runner import JourneyRunner

View = Response | tuple[str, int] | str
ADD_ANOTHER = "add_another"
CONFIRM = "confirm"
ITEM_WAS = "item_was"
"""On an item's forms: the item as its page showed it (`item_mark`). Items are found by
number, so a form from a page opened before the list changed (another tab removed an item)
would save over, or remove, another item: it is refused, and the person sees the list."""


NEW_ITEM = "new"
"""The mark of an item not yet added."""


def item_mark(journey: Journey, page: Page, item: int) -> str:
    """What item `item` held when its page was shown: NEW_ITEM, or a digest of its answers."""
    items = journey.items(page)
    return mark(items[item - 1]) if item <= len(items) else NEW_ITEM


def _stale(journey: Journey, page: Page, item: int) -> bool:
    """The form, or the list's link, was for an item that has changed since (one without a
    mark is taken: the contract's addresses and forms have none)."""
    was = request.form.get(ITEM_WAS) if request.method == "POST" else request.args.get(ITEM_WAS)
    items = journey.items(page)
    if item > len(items):
        return bool(was) and was != NEW_ITEM
    return changed_since(was or None, items[item - 1])


I_DO = (
    PC_("answering ‘do you want to’ or ‘are you sure’", "Yes"),
    PC_("answering ‘do you want to’ or ‘are you sure’", "No"),
)
"""The answers to the engine's own yes or no questions, in context: Welsh answers them with
the verb (Ydw, Nac ydw), not with Ie or Na."""


def i_do_options() -> list[dict[str, Any]]:
    return [
        {"value": value, "label": catalogue_text_in(*answer)}
        for value, answer in zip(("yes", "no"), I_DO, strict=True)
    ]


def add_another_question(page: Page, first: bool = False) -> YesNoQuestion:
    """'Do you want to add another vehicle?', or with no items yet (a page whose items are
    optional lists before item 1) 'Do you want to add a vehicle?'."""
    say = translator(page.language)
    noun = page.item_noun
    if not first:
        label = N_("Do you want to add another %(noun)s?")
        required = N_("Select yes if you want to add another %(noun)s")
    elif takes_an(page):
        label = N_("Do you want to add an %(noun)s?")
        required = N_("Select yes if you want to add an %(noun)s")
    else:
        label = N_("Do you want to add a %(noun)s?")
        required = N_("Select yes if you want to add a %(noun)s")
    return YesNoQuestion.model_validate(
        {
            "id": ADD_ANOTHER,
            "type": "yes_no",
            "options": i_do_options(),
            "label": say.gettext(label, noun=noun),
            "error_messages": {"required": say.gettext(required, noun=noun)},
        },
        context={"language": page.language},
    )


def takes_an(page: Page) -> bool:
    """Whether English says 'an' before the item's name: by its spelling, a guess."""
    return page.language == "en" and page.item_noun[:1].lower() in "aeiou"


def none_added_text(page: Page) -> str:
    """'You have not added an extension yet.': the list page's words with no items."""
    message = N_("You have not added an %(noun)s yet.") if takes_an(page) else None
    return translator(page.language).gettext(
        message or N_("You have not added a %(noun)s yet."), noun=page.item_noun
    )


def remove_question(page: Page, item: int) -> YesNoQuestion:
    say = translator(page.language)
    noun, number = page.item_noun, item
    return YesNoQuestion.model_validate(
        {
            "id": CONFIRM,
            "type": "yes_no",
            "options": i_do_options(),
            "label": say.gettext(
                N_("Are you sure you want to remove %(noun)s %(number)s?"), noun=noun, number=number
            ),
            "error_messages": {
                "required": say.gettext(
                    N_("Select yes if you want to remove %(noun)s %(number)s"),
                    noun=noun,
                    number=number,
                )
            },
        },
        context={"language": page.language},
    )


def too_few_message(page: Page) -> str:
    """English needs the noun's plural, which a definition does not give, so the plural
    message names the noun once, in the singular; Welsh counts with a singular noun anyway."""
    return translator(page.language).ngettext(
        "Add at least %(num)s %(noun)s",
        "Add at least %(num)s: select yes to add another %(noun)s",
        page.fewest_items,
        noun=page.item_noun,
    )


class RepeatViews:
    """The views of repeat pages, served by a journey runner in every mode."""

    def __init__(self, runner: JourneyRunner) -> None:
        self.runner = runner

    def add_repeat_rules(self, add: Callable[..., None]) -> None:
        methods = ["GET", "POST"]
        add("/<service_id>/<page_id>/<int:item>", "item", self.repeat_item, methods=methods)
        add(
            "/<service_id>/<page_id>/<int:item>/remove",
            "remove",
            self.repeat_remove,
            methods=methods,
        )

    # -- /{service}/{page}: the list --------------------------------------------------------
    def repeat_list(
        self, journey: Journey, page: Page, draft: Draft | None, changing: bool
    ) -> View:
        service = journey.service
        items = journey.items(page)
        if not items and page.fewest_items > 0:
            # the v2 contract: straight to item 1, unless items are optional (min_items: 0);
            # so too once the last item is removed: "No" to "add one?" could only be refused
            return redirect(self.runner.url(service, Step(page.id, 1), change=changing))
        if request.method == "GET":
            if draft is not None:
                self.runner.audit("viewed", draft, page)
            return self.render_list(journey, page, draft, changing)
        asking = len(items) < page.most_items
        try:
            question = add_another_question(page, first=not items)
            answer = question.clean(question.read(_form())) if asking else "no"
        except AnswerError as refused:
            return self.render_list(journey, page, draft, changing, refused)
        if answer == "yes":
            return redirect(
                self.runner.url(service, Step(page.id, len(items) + 1), change=changing)
            )
        if len(items) < page.fewest_items:
            field = ADD_ANOTHER if asking else "items"
            too_few = AnswerError(too_few_message(page), field, frozenset(), field, "min_items")
            return self.render_list(journey, page, draft, changing, too_few)
        incomplete = journey.first_incomplete_item(page)
        if incomplete is not None and draft is not None:  # an item needs an answer it did
            return self.ask_what_is_missing(journey, page, draft, changing, incomplete)
        draft = draft or self.runner.create_draft(service)  # optional items: the first page
        journey = save_change(draft, lambda j: j.finish(page), self.runner.journey_for(service))
        self.runner.audit("changed", draft, page)
        events.page_saved(service, page, draft)
        step = journey.after(page, changing)
        return redirect(self.runner.url(service, step, change=changing and step != CHECK_ANSWERS))

    def ask_what_is_missing(
        self, journey: Journey, page: Page, draft: Draft, changing: bool, item: int
    ) -> tuple[str, int]:
        """The incomplete item's page, saying what it lacks, as if its stored answers had been
        sent from it (not just opened: the person would not know why they were there). Its
        form goes to the item's own address."""
        stored = stored_raws(journey, page, item)
        sent = MultiDict([(name, value) for raw in stored.values() for name, value in raw.items()])
        raws, _, errors = read_page(journey, page, sent)
        events.page_errors(journey.service, page, draft, errors)
        return self.runner.render_page(journey, page, raws, errors, changing, draft, item), 400

    def render_list(
        self,
        journey: Journey,
        page: Page,
        draft: Draft | None,
        changing: bool,
        error: AnswerError | None = None,
    ) -> View:
        service = journey.service
        items = journey.items(page)
        rows = [item_row(journey, page, number) for number in range(1, len(items) + 1)]
        asking = len(items) < page.most_items
        field = None
        if asking:
            question = add_another_question(page, first=not items)
            raw = question.read(_form()) if error else {}
            params = question.macro_params(raw, error, is_heading=False)
            field = RenderedField("govukRadios", params)
        if error:
            events.page_errors(service, page, draft, [error])
        else:
            events.page_viewed(service, page, draft)
        html = render_template(
            "repeat_list.html",
            page=page,
            rows=rows,
            incomplete=journey.incomplete_items(page),  # a later change asks them more
            none_added=none_added_text(page),
            field=field,
            errors=[{"text": error.message, "href": f"#{error.field}"}] if error else [],
            item_url=lambda number: self.runner.url(
                service, Step(page.id, number), changing, item_was=item_mark(journey, page, number)
            ),
            remove_url=lambda number: self.runner.url(
                service,
                Step(page.id, number, remove=True),
                changing,
                item_was=item_mark(journey, page, number),
            ),
            back_url=self.runner.back_url(journey, page, changing),
            action=self.runner.url(service, page.id, change=changing),
            **self.runner.context(service, draft),
        )
        return (html, 400) if error else html

    # -- /{service}/{page}/{n}: one item ----------------------------------------------------
    def repeat_item(self, service_id: str, page_id: str, item: int) -> View:
        found = self.repeat_step(service_id, page_id)
        if not isinstance(found, tuple):
            return found
        journey, page, draft, changing = found
        items = journey.items(page)
        if not 0 < item <= min(len(items) + 1, page.most_items) or _stale(journey, page, item):
            return self.list_changed(journey, page, changing)
        if request.method == "GET":
            if draft is not None:
                self.runner.audit("viewed", draft, page, item=item)
            events.page_viewed(journey.service, page, draft)
            shown = self.runner.initial_raws(journey, page, item)
            raws, errors = typed.shown(journey, page, shown, item)
            return self.runner.render_page(journey, page, raws, errors, changing, draft, item)
        raws, values, errors = read_page(journey, page, _form())
        if errors:
            events.page_errors(journey.service, page, draft, errors)
            return self.runner.render_page(journey, page, raws, errors, changing, draft, item), 400
        draft = draft or self.runner.create_draft(journey.service)
        saved = save_change(
            draft,
            lambda j: j.record_item(page, item, values),
            self.runner.journey_for(journey.service),
        )
        self.runner.audit("changed", draft, page, item=item)
        events.page_saved(journey.service, page, draft)
        if changing and item <= len(items):
            # changing an item from check-your-answers: straight back there (GOV.UK pattern)
            after = saved.after(page, changing)
            return redirect(self.runner.url(journey.service, after, change=after != CHECK_ANSWERS))
        return redirect(self.runner.url(journey.service, page.id, change=changing))

    def list_changed(self, journey: Journey, page: Page, changing: bool) -> Response:
        """A form or link for an item that another tab has changed or removed since: nothing
        is changed, and the person sees the list as it is now, and why."""
        if request.args.get(ITEM_WAS) or request.form.get(ITEM_WAS):
            place = banners.place(self.runner.blueprint.name, journey.service.id, page.id)
            banners.show(banners.LIST_CHANGED, place)
        return redirect(self.runner.url(journey.service, page.id, change=changing))

    # -- /{service}/{page}/{n}/remove -------------------------------------------------------
    def repeat_remove(self, service_id: str, page_id: str, item: int) -> View:
        found = self.repeat_step(service_id, page_id)
        if not isinstance(found, tuple):
            return found
        journey, page, draft, changing = found
        service = journey.service
        if draft is None or not 0 < item <= len(journey.items(page)) or _stale(journey, page, item):
            return self.list_changed(journey, page, changing)
        question = remove_question(page, item)
        error: AnswerError | None = None
        raw: dict[str, Any] = {}
        if request.method == "POST":
            raw = question.read(_form())
            try:
                answer = question.clean(raw)
            except AnswerError as refused:
                error = refused
                events.page_errors(service, page, draft, [error])
            else:
                if answer == "yes":
                    save_change(
                        draft, lambda j: j.remove_item(page, item), self.runner.journey_for(service)
                    )
                    self.runner.audit("removed-item", draft, page, item=item)
                    events.page_saved(service, page, draft)
                    where = banners.place(self.runner.blueprint.name, service.id, page.id)
                    banners.show(banners.ITEM_REMOVED, where)  # on the list, once
                return redirect(self.runner.url(service, page.id, change=changing))
        else:
            events.page_viewed(service, page, draft)
        row = item_row(journey, page, item)
        html = render_template(
            "repeat_remove.html",
            page=page,
            heading=question.label,
            field=RenderedField("govukRadios", about_the_item(question, raw, error, row)),
            errors=[{"text": error.message, "href": f"#{error.field}"}] if error else [],
            back_url=self.runner.url(service, page.id, change=changing),
            action=self.runner.url(service, Step(page.id, item, remove=True), change=changing),
            item_was=item_mark(journey, page, item),
            **self.runner.context(service, draft),
        )
        return (html, 400) if error else html

    def repeat_step(
        self, service_id: str, page_id: str
    ) -> tuple[Journey, Page, Draft | None, bool] | Response:
        """The journey at a repeat page's item, or where to go instead."""
        service = self.runner.service(service_id)
        page = service.page(page_id)
        if page is None or not page.repeats:
            abort(404)
        held = self.runner.draft(service)
        if held is not None and held.submitted and request.method == "GET":
            return make_response(self.runner.already_sent(service, held))  # HTML, as a view's
        draft = self.runner.active(held)
        if draft is None and (elsewhere := self.runner.without_draft(service)) is not None:
            return elsewhere
        journey = self.runner.journey(service, draft)
        if not journey.on_route(page.id):
            return redirect(self.runner.url(service, journey.next_step))
        return journey, page, draft, request.args.get("change") == "1"


__all__ = ["ADD_ANOTHER", "CONFIRM", "RepeatViews"]


def _form() -> Any:
    """The POST body (werkzeug's MultiDict satisfies the questions' FormData)."""
    return request.form


def item_row(journey: Journey, page: Page, number: int) -> SummaryRow:
    """Item `number` (from 1) of a repeat page, as its list shows it: its label and answers."""
    item = journey.items(page)[number - 1]
    return SummaryRow(page, None, item, number, tuple(journey.questions(page)))


def about_the_item(
    question: Question, raw: Raw, error: AnswerError | None, row: SummaryRow
) -> dict[str, Any]:
    """The remove page's yes or no, its legend the page's h1, with the item it is about (its
    answers, as the list shows them) as its hint: read with the question."""
    params = question.macro_params(raw, error, is_heading=True)
    params["hint"] = {"html": row.display()}
    return params
