"""The pydantic model of the definition format (v1), and the JSON Schema editors use."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    StringConstraints,
    field_validator,
)

from service_builder.conditions import Condition
from service_builder.localised import DEFAULT_LANGUAGES, LocalBody, LocalText
from service_builder.messages import N_, catalogue_text, engine_languages
from service_builder.questions import AnyQuestion, Question

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
CHECK_ANSWERS = "check-answers"
RESERVED_PAGE_IDS = {CHECK_ANSWERS, "confirmation", "start", "session-expired"}
RESERVED_SERVICE_IDS = {
    "staff",
    "admin",
    "assets",
    "static",
    "healthz",
    "cookies",
    "privacy",
    "contact",
    "accessibility-statement",
    "session-expired",
    "favicon.ico",
    "manifest.webmanifest",
    "robots.txt",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Start(Strict):
    body: LocalText
    button: LocalText = Field(
        default_factory=lambda: catalogue_text(N_("Start now")), validate_default=True
    )


class Confirmation(Strict):
    title: LocalText = Field(
        default_factory=lambda: catalogue_text(N_("Application complete")), validate_default=True
    )
    body: LocalBody | None = None


class NextRule(Strict):
    when: dict[str, Any] | None = None
    goto: Text

    _when: Condition | None = PrivateAttr(default=None)

    def applies(self, answers: dict[str, Any]) -> bool:
        return self._when is None or self._when.holds(answers)


class Page(Strict):
    id: Slug
    type: Literal["question", "exit", "content"] = "question"
    title: LocalText | None = None
    body: LocalBody | None = None
    questions: list[AnyQuestion] = Field(default_factory=list)
    show_when: dict[str, Any] | None = None
    next: list[NextRule] | None = None

    _show_when: Condition | None = PrivateAttr(default=None)
    _default_next: str = PrivateAttr(default=CHECK_ANSWERS)

    def visible(self, answers: dict[str, Any], audience: str) -> bool:
        """On the route for these answers: its condition holds and it has something to show."""
        if self._show_when is not None and not self._show_when.holds(answers):
            return False
        return self.type != "question" or bool(self.questions_for(answers, audience))

    def questions_for(self, answers: dict[str, Any], audience: str) -> list[Question]:
        return [q for q in self.questions if q.visible(answers, audience)]

    def next_page_id(self, answers: dict[str, Any]) -> str:
        """The page after this one for these answers (`check-answers` ends the questions)."""
        for rule in self.next or []:
            if rule.applies(answers):
                return rule.goto
        return self._default_next

    def targets(self) -> list[str]:
        """Every page this one can lead to, whatever the answers."""
        rules = self.next or []
        targets = [rule.goto for rule in rules]
        if not rules or rules[-1].when is not None:
            targets.append(self._default_next)
        return targets

    @property
    def heading(self) -> str:
        return self.title or (self.questions[0].label if len(self.questions) == 1 else self.id)


class Service(Strict):
    id: Slug
    title: LocalText
    languages: list[LanguageCode] = Field(
        default_factory=lambda: list(DEFAULT_LANGUAGES), min_length=1
    )
    summary: LocalBody | None = None
    start: Start | None = None
    pages: list[Page] = Field(min_length=1)
    declaration: LocalBody | None = None
    submit_label: LocalText = Field(
        default_factory=lambda: catalogue_text(N_("Accept and send")), validate_default=True
    )
    confirmation: Confirmation = Confirmation()
    reference_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")] | None = None
    retention_days: PositiveInt | None = None
    privacy_url: str | None = Field(
        default=None,
        description="Extension: the service's own privacy notice, linked from its pages",
    )

    _pages_by_id: dict[str, Page] = PrivateAttr(default_factory=dict)
    _questions_by_id: dict[str, Question] = PrivateAttr(default_factory=dict)
    _version: str = PrivateAttr(default="")
    _in_languages: dict[str, Service] = PrivateAttr(default_factory=dict)
    _language: str = PrivateAttr(default="en")

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, languages: list[str]) -> list[str]:
        if len(set(languages)) != len(languages):
            raise ValueError("languages must not repeat a language")
        unknown = [code for code in languages if code not in engine_languages()]
        if unknown:
            raise ValueError(
                f"the engine has no messages in '{unknown[0]}'; "
                f"use {' or '.join(engine_languages())}"
            )
        return languages

    def in_language(self, language: str) -> Service:
        """This service with its texts in `language` (its default language if not offered)."""
        return self._in_languages.get(language, self)

    @property
    def language(self) -> str:
        """The language this copy of the service is in."""
        return self._language

    def page(self, page_id: str) -> Page | None:
        return self._pages_by_id.get(page_id)

    def question(self, question_id: str) -> Question | None:
        return self._questions_by_id.get(question_id)

    @property
    def questions(self) -> list[Question]:
        return [question for page in self.pages for question in page.questions]

    @property
    def version(self) -> str:
        """A content hash of the definition file this service was loaded from."""
        return self._version


def json_schema() -> dict[str, Any]:
    schema = Service.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Service Builder service definition (v1)"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2)
