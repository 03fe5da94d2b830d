"""The journey: the route through a service, recomputed from the answers on every request."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from service_builder.definitions.schema import CHECK_ANSWERS, Page, Service
from service_builder.messages import NP_, translator
from service_builder.questions import AnswerError, Question, Raw
from service_builder.steps import Step
from service_builder.walks import Walk, state_key, walks

Answers = dict[str, Any]
"""Question id -> stored answer; a repeat page's id -> its items, each an Answers."""


def typed_key(page: Page, item: int | None = None) -> str:
    """Where a page's typed text is kept: its id, or `vehicles/2` for a repeat item (page
    ids are slugs, so the two never clash)."""
    return page.id if item is None else f"{page.id}/{item}"


@dataclass
class DraftState:
    """What a draft holds: the answers (nested for repeat pages), and the pages the person
    has finished. Stored as JSON `{"answers", "completed"}`, the shape drafts always had,
    plus `"typed"` while a page saved with errors has text to show again (`web/typed.py`)."""

    answers: Answers = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)
    typed: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Page (or a repeat item, `typed_key`) -> what was typed there, as form input, when it
    was saved with errors. Never an answer: the walk, conditions, summaries and submissions
    never read it."""

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DraftState:
        data = data or {}
        typed = data.get("typed")
        return cls(
            dict(data.get("answers", {})),
            list(data.get("completed", [])),
            dict(typed) if isinstance(typed, dict) else {},
        )

    def to_json(self) -> dict[str, Any]:
        stored = {"answers": self.answers, "completed": self.completed}
        return {**stored, "typed": self.typed} if self.typed else stored

    def forget_typed(self, page: Page, item: int | None = None) -> None:
        """Answered: what was typed there before is replaced."""
        self.typed.pop(typed_key(page, item), None)

    def forget_typed_items(self, page: Page) -> None:
        """An item removed renumbers those after it: what was typed on any item goes."""
        for key in [key for key in self.typed if key.startswith(f"{page.id}/")]:
            del self.typed[key]

    def items(self, page: Page) -> list[Answers]:
        """A repeat page's items, in order (a list of answers by question id)."""
        stored = self.answers.get(page.id)
        if not isinstance(stored, list):
            return []
        return [dict(item) for item in stored if isinstance(item, dict)]


@dataclass(frozen=True)
class SummaryRow:
    """One row of check-your-answers: a question's answer, one item of a repeat page, or (no
    question, no item) a repeat page's list, its value the number of items."""

    page: Page
    question: Question | None
    value: Any
    item: int | None = None
    item_questions: tuple[Question, ...] = ()

    @property
    def label(self) -> str:
        if self.question is not None:
            return self.question.summary_label
        if self.item is None:  # a repeat page's list
            return self.page.heading
        return f"{self.page.item_noun.capitalize()} {self.item}"

    def display(self) -> str | Markup:
        if self.question is not None:
            return self.question.display(self.value)
        if self.item is None:  # the list: how many items, the rows after it say which
            say = translator(self.page.language)  # Welsh says 1 and 2 apart
            return say.ngettext(*NP_("%(num)s added", "%(num)s added"), self.value, num=self.value)
        lines = [
            escape(q.item_line(self.value[q.id])) for q in self.item_questions if q.id in self.value
        ]
        return Markup("<br>").join(lines)

    @property
    def step(self) -> Step:
        return Step(self.page.id, self.item)


class Journey:
    """One person's way through one service, for one audience (`resident` or `staff`)."""

    def __init__(self, service: Service, state: DraftState, audience: str) -> None:
        self.service = service
        self.routes = service.routes
        self.state = state
        self.audience = audience
        self._resume: tuple[Page, Walk] | None = None  # see _changed

    @cached_property
    def _walked(self) -> Walk:
        """Walk the route from the first page, collecting answers as it goes, so that each
        condition sees only answers given on the route before it (never a stored answer to a
        page that was skipped, hidden or left behind after a change).

        The walk costs a little per page, so on page 190 of a 200-page service it was most
        of a request. This process keeps the last walks by their answers (`walks`), and a
        change to one page walks on from that page: the pages before it cannot change."""
        key = self._walk_key()
        known = walks.get(key, self.service)
        if known is not None:
            return known
        start, walk = self._resume or (self.service.pages[0], Walk(self.service))
        self._resume = None  # the walk below extends it
        pages, finished = self.routes.pages, set(self.state.completed)  # found by hash
        page: Page | None = start
        while page is not None and page.id not in walk.index:
            if self.routes.page_visible(page, walk.answers, self.audience):
                walk.add(page)
                if page.type == "exit" or not self._complete(page, walk.answers, finished):
                    break
                walk.give(self._given(page, walk.answers))
            page = pages.get(self.routes.next_page_id(page, walk.answers))
        walks.put(key, walk)
        return walk

    def _given(self, page: Page, before: Mapping[str, Any]) -> Answers:
        """A finished page's answers to its visible questions."""
        questions = self.routes.questions_for(page, before, self.audience)
        if page.repeats:
            items = [
                {q.id: item[q.id] for q in questions if q.id in item}
                for item in self.state.items(page)
            ]
            return {page.id: items}  # finished with none (min_items: 0): a count of 0
        answers = self.state.answers
        return {q.id: answers[q.id] for q in questions if q.id in answers}

    @property
    def route(self) -> list[Page]:
        """The pages on the route, stopping at the first that still needs answers or an exit."""
        return self._walked.pages

    @property
    def answers(self) -> Answers:
        """The answers on the route: the only answers conditions, summaries and submissions
        read."""
        return self._walked.answers

    def findable_answers(self) -> Answers:
        """What finds an agent's draft in staff's Find: the answers on the route, and what is
        kept on the page it stops at (a 'Save and leave' with some still missing); never an
        answer a Change left behind (an agent's trial found a draft by one)."""
        found = dict(self.answers)
        last = self.route[-1] if self.route else None
        if last is not None:
            keys = [last.id] if last.repeats else [question.id for question in last.questions]
            found.update(
                {key: self.state.answers[key] for key in keys if key in self.state.answers}
            )
        return found

    @property
    def complete(self) -> bool:
        """Every page on the route is answered: check-your-answers is open."""
        last = self.route[-1] if self.route else None
        return last is not None and last.type != "exit" and self.is_complete(last)

    @property
    def next_step(self) -> str:
        """Where the person should be: the first page needing answers, or check-answers."""
        return CHECK_ANSWERS if self.complete else self.route[-1].id

    def is_complete(self, page: Page) -> bool:
        return self._complete(page, self._before(page))

    def _complete(
        self, page: Page, before: Mapping[str, Any], finished: Container[str] | None = None
    ) -> bool:
        if page.id not in (self.state.completed if finished is None else finished):
            return False
        questions = self.routes.questions_for(page, before, self.audience)
        required = [q.id for q in questions if q.required]
        if page.repeats:
            items = self.state.items(page)
            in_range = page.fewest_items <= len(items) <= page.most_items
            return in_range and all(all(q in item for q in required) for item in items)
        return all(q in self.state.answers for q in required)

    def first_incomplete_item(self, page: Page) -> int | None:
        """The number of the first item of a repeat page that lacks a required answer (say a
        Change on an earlier page has since shown another question in every item)."""
        return min(self.incomplete_items(page), default=None)

    def incomplete_items(self, page: Page) -> set[int]:
        """The numbers of a repeat page's items that lack a required answer."""
        required = [q.id for q in self.questions(page) if q.required]
        return {
            number
            for number, item in enumerate(self.state.items(page), start=1)
            if any(question not in item for question in required)
        }

    def _before(self, page: Page) -> Mapping[str, Any]:
        return self._walked.before(page.id)

    def on_route(self, page_id: str) -> bool:
        return page_id in self._walked.index

    def questions(self, page: Page) -> list[Question]:
        """The page's questions for this audience, shown by the answers on the route before it."""
        return self.routes.questions_for(page, self._before(page), self.audience)

    def items(self, page: Page) -> list[Answers]:
        return self.state.items(page)

    def previous(self, page_id: str) -> str | None:
        """The page before this one on the route (or the last page, for check-answers)."""
        route = self.route
        if page_id == CHECK_ANSWERS:
            return route[-1].id if route else None
        index = self._walked.index.get(page_id, 0)
        return route[index - 1].id if index > 0 else None

    def after(self, page: Page, changing: bool) -> str:
        """Where to go once this page is answered: on along the route, or back to the summary
        when changing an answer (via any pages the change has opened up)."""
        route, index = self.route, self._walked.index.get(page.id)
        if changing or index is None or index == len(route) - 1:
            return self.next_step
        return route[index + 1].id

    # -- changing the answers ---------------------------------------------------------------
    def record(self, page: Page, values: Answers) -> None:
        """Store a page's answers, replacing whatever it held before, and mark it finished."""
        for question in page.questions:
            self.state.answers.pop(question.id, None)
        self.state.answers.update({k: v for k, v in values.items() if v is not None})
        self.state.forget_typed(page)
        self.finish(page)

    def keep(self, page: Page, values: Answers) -> None:
        """Store what was given on a page that is not finished (an agent's 'Save and leave'
        with some answers still missing): kept for later, but the page still needs answers."""
        self.state.answers.update({k: v for k, v in values.items() if v is not None})
        self._changed(page)

    def record_item(self, page: Page, item: int, values: Answers) -> None:
        """Store item `item` (1, 2, …) of a repeat page: a new one when it is one past the end."""
        items = self.state.items(page)
        answers = {k: v for k, v in values.items() if v is not None}
        if item == len(items) + 1:
            items.append(answers)
        else:
            items[item - 1] = answers
        self.state.answers[page.id] = items
        self.state.forget_typed(page, item)
        self._changed(page)
        self._let_go_of_what_the_route_left()

    def remove_item(self, page: Page, item: int) -> None:
        items = self.state.items(page)
        del items[item - 1]
        self.state.answers[page.id] = items
        self.state.forget_typed_items(page)
        self._changed(page)
        self._let_go_of_what_the_route_left()

    def finish(self, page: Page) -> None:
        """The person has moved on from this page (a repeat page: said no more items, so an
        item begun and not finished is let go, and what was typed on it with it)."""
        if page.repeats:
            self.state.forget_typed_items(page)
        if page.id not in self.state.completed:
            self.state.completed.append(page.id)
        self._changed(page)
        self._let_go_of_what_the_route_left()

    def _let_go_of_what_the_route_left(self) -> None:
        """Once the route runs to check your answers, nothing it left behind can come back
        unseen (form-definitions-v2: such an answer counts as never given):
        - a page the route no longer passes is no longer finished. Its answers are kept, so
          if a later change brings it back the person is taken to it again with them filled
          in, rather than finding them on check your answers unasked (a content page, such
          as a safety warning, is shown again);
        - an answer to a question hidden on a page the route still passes goes (in each of
          a repeat page's items too), so a question shown again is asked again.
        Until the route reaches the end, a page past the first one needing answers may yet
        be on it, so nothing changes."""
        if not self.complete:
            return
        walk, state = self._walked, self.state
        passed = [page_id for page_id in state.completed if page_id in walk.index]
        asked_on = self.routes.page_of  # a page it left keeps its answers
        hidden = [
            key
            for key in state.answers
            if key not in walk.answers and asked_on.get(key) in walk.index
        ]
        shown_items = {
            page.id: walk.answers[page.id]
            for page in walk.pages
            if page.repeats and state.answers.get(page.id) != walk.answers.get(page.id)
        }
        if len(passed) == len(state.completed) and not hidden and not shown_items:
            return
        for key in hidden:
            del state.answers[key]
        for page_id, items in shown_items.items():
            state.answers[page_id] = [dict(item) for item in items]
        state.completed = passed
        walks.put(self._walk_key(), walk)  # the same walk: it read none of what changed

    def _walk_key(self) -> tuple[int, str, str]:
        """The walk's key in this process's walks: the same answers walk the same way."""
        state = self.state
        return (id(self.service), self.audience, state_key(state.answers, state.completed))

    def _changed(self, page: Page | None = None) -> None:
        """The answers changed (on `page`): walk again, on from that page when it was on the
        route and nothing before it could have seen what changed."""
        walked: Walk | None = self.__dict__.pop("_walked", None)
        if walked is None:  # not walked since the last change: resume as that one said
            if self._resume is not None and (page is None or self._resume[0].id != page.id):
                self._resume = None
            return
        self._resume = None
        if page is not None and page.id in walked.index:
            before = walked.before(page.id)
            if not any(key in before for key in (page.id, *(q.id for q in page.questions))):
                self._resume = (page, walked.up_to(page.id))

    # -- reading the answers back -------------------------------------------------------------
    def summary(self, with_blanks: bool = False) -> Iterator[SummaryRow]:
        """Every answered question on the route, in route order; a row per repeat item.
        `with_blanks` adds a row with no value for each optional question left blank."""
        answers = self.state.answers
        for page in self.route:
            questions = self.questions(page)
            if page.repeats:
                items = self.state.items(page)
                if with_blanks:  # the list's own row, to add or remove items (empty: None)
                    yield SummaryRow(page, None, len(items) or None)
                for number, item in enumerate(items, start=1):
                    kept = {q.id: item[q.id] for q in questions if q.id in item}
                    yield SummaryRow(page, None, kept, number, tuple(questions))
                continue
            for question in questions:
                if question.id in answers:
                    yield SummaryRow(page, question, answers[question.id])
                elif with_blanks and not question.required:
                    yield SummaryRow(page, question, None)

    def submission_answers(self) -> Answers:
        submitted: Answers = {}
        for row in self.summary():
            if row.question is not None:
                submitted[row.question.id] = row.value
            else:
                submitted.setdefault(row.page.id, []).append(row.value)
        return submitted

    def first_invalid(self) -> tuple[Step, AnswerError] | None:
        """Re-check every answer on the route, as at submission."""
        for row in self.summary():
            checks = [row.question] if row.question is not None else list(row.item_questions)
            for question in checks:
                value = row.value if row.question is not None else row.value.get(question.id)
                try:
                    question.clean(question.raw_from_answer(value))
                except AnswerError as error:
                    return row.step, error
        return None


def read_page(
    journey: Journey, page: Page, form: Any
) -> tuple[dict[str, Raw], Answers, list[AnswerError]]:
    """Raw input, cleaned answers and errors for a page's visible questions, from a POST."""
    raws: dict[str, Raw] = {}
    values: Answers = {}
    errors: list[AnswerError] = []
    for question in journey.questions(page):
        raws[question.id] = question.read(form)
        try:
            values[question.id] = question.clean(raws[question.id])
        except AnswerError as error:
            errors.append(error)
    return raws, values, errors


def submitted_rows(service: Service, answers: Answers) -> list[SummaryRow]:
    """A submission's answers as summary rows, in definition order (a row per repeat item)."""
    rows: list[SummaryRow] = []
    for page in service.pages:
        if page.repeats:
            items = answers.get(page.id) or []
            rows += [
                SummaryRow(page, None, item, number, tuple(page.questions))
                for number, item in enumerate(items, start=1)
            ]
            continue
        rows += [SummaryRow(page, q, answers[q.id]) for q in page.questions if q.id in answers]
    return rows
