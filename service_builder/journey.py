"""The journey: the route through a service, recomputed from the answers on every request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from service_builder.definitions.schema import CHECK_ANSWERS, Page, Service
from service_builder.questions import AnswerError, Question, Raw


@dataclass
class DraftState:
    """What a draft holds: answers by question id, and the pages the person has completed."""

    answers: dict[str, Any] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DraftState:
        data = data or {}
        return cls(dict(data.get("answers", {})), list(data.get("completed", [])))

    def to_json(self) -> dict[str, Any]:
        return {"answers": self.answers, "completed": self.completed}


@dataclass(frozen=True)
class SummaryRow:
    page: Page
    question: Question
    value: Any


class Journey:
    """One person's way through one service, for one audience (`resident` or `staff`)."""

    def __init__(self, service: Service, state: DraftState, audience: str) -> None:
        self.service = service
        self.state = state
        self.audience = audience

    @cached_property
    def _walk(self) -> tuple[list[Page], dict[str, dict[str, Any]], dict[str, Any]]:
        """Walk the route from the first page, collecting answers as it goes, so that each
        condition sees only answers given on the route before it (never a stored answer to a
        page that was skipped, hidden or left behind after a change)."""
        answers = self.state.answers
        on_route: dict[str, Any] = {}
        before: dict[str, dict[str, Any]] = {}
        pages: list[Page] = []
        page: Page | None = self.service.pages[0]
        while page is not None and page.id not in before:
            if page.visible(on_route, self.audience):
                pages.append(page)
                before[page.id] = dict(on_route)
                if page.type == "exit" or not self._complete(page, before[page.id]):
                    break
                for question in page.questions_for(before[page.id], self.audience):
                    if question.id in answers:
                        on_route[question.id] = answers[question.id]
            page = self.service.page(page.next_page_id(on_route))
        return pages, before, on_route

    @property
    def route(self) -> list[Page]:
        """The pages on the route, stopping at the first that still needs answers or an exit."""
        return self._walk[0]

    @property
    def answers(self) -> dict[str, Any]:
        """The answers on the route: the only answers conditions, summaries and submissions
        read."""
        return self._walk[2]

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
        return self._complete(page, self._walk[1].get(page.id, self.answers))

    def _complete(self, page: Page, before: dict[str, Any]) -> bool:
        if page.id not in self.state.completed:
            return False
        questions = page.questions_for(before, self.audience)
        return all(q.id in self.state.answers for q in questions if q.required)

    def on_route(self, page_id: str) -> bool:
        return any(page.id == page_id for page in self.route)

    def questions(self, page: Page) -> list[Question]:
        """The page's questions for this audience, shown by the answers on the route before it."""
        before = self._walk[1].get(page.id, self.answers)
        return page.questions_for(before, self.audience)

    def previous(self, page_id: str) -> str | None:
        """The page before this one on the route (or the last page, for check-answers)."""
        ids = [page.id for page in self.route]
        if page_id == CHECK_ANSWERS:
            return ids[-1] if ids else None
        index = ids.index(page_id) if page_id in ids else 0
        return ids[index - 1] if index > 0 else None

    def after(self, page: Page, changing: bool) -> str:
        """Where to go once this page is answered: on along the route, or back to the summary
        when changing an answer (via any pages the change has opened up)."""
        ids = [step.id for step in self.route]
        if changing or page.id not in ids or ids[-1] == page.id:
            return self.next_step
        return ids[ids.index(page.id) + 1]

    def record(self, page: Page, values: dict[str, Any]) -> None:
        """Store a page's answers, replacing whatever it held before."""
        for question in page.questions:
            self.state.answers.pop(question.id, None)
        self.state.answers.update({k: v for k, v in values.items() if v is not None})
        if page.id not in self.state.completed:
            self.state.completed.append(page.id)
        self.__dict__.pop("_walk", None)

    def summary(self) -> Iterator[SummaryRow]:
        """Every answered question on the route, in route order."""
        for page in self.route:
            for question in self.questions(page):
                if question.id in self.state.answers:
                    yield SummaryRow(page, question, self.state.answers[question.id])

    def submission_answers(self) -> dict[str, Any]:
        return {row.question.id: row.value for row in self.summary()}

    def first_invalid(self) -> tuple[Page, AnswerError] | None:
        """Re-check every answer on the route, as at submission."""
        for row in self.summary():
            try:
                row.question.clean(row.question.raw_from_answer(row.value))
            except AnswerError as error:
                return row.page, error
        return None


def read_page(
    journey: Journey, page: Page, form: Any
) -> tuple[dict[str, Raw], dict[str, Any], list[AnswerError]]:
    """Raw input, cleaned answers and errors for a page's visible questions, from a POST."""
    raws: dict[str, Raw] = {}
    values: dict[str, Any] = {}
    errors: list[AnswerError] = []
    for question in journey.questions(page):
        raws[question.id] = question.read(form)
        try:
            values[question.id] = question.clean(raws[question.id])
        except AnswerError as error:
            errors.append(error)
    return raws, values, errors
