"""The pydantic model of the definition format (v1), and the JSON Schema editors use."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from service_builder.definitions.payment import PaymentSpec
from service_builder.localised import DEFAULT_LANGUAGES, LocalBody, LocalSymbol, LocalText
from service_builder.messages import N_, catalogue_text, engine_languages, translator
from service_builder.questions import AnyQuestion, Question

if TYPE_CHECKING:
    from service_builder.definitions.routes import Routes

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
CHECK_ANSWERS = "check-answers"
RESERVED_PAGE_IDS = {
    CHECK_ANSWERS,
    "confirmation",
    "start",
    "start-again",
    "session-expired",
    "payment",
}
SAVE_AND_RETURN_PAGE_IDS = {"save-for-later", "saved", "resume"}
"""Reserved only in services with `save_and_return` (elsewhere these stay ordinary page ids)."""
RESERVED_SERVICE_IDS = {
    "staff",
    "admin",
    "status",
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


MAX_REPEAT_ITEMS = 50


class Page(Strict):
    id: Slug
    type: Literal["question", "exit", "content", "repeat"] = "question"
    title: LocalText | None = None
    body: LocalBody | None = None
    questions: list[AnyQuestion] = Field(default_factory=list)
    show_when: dict[str, Any] | None = None
    next: list[NextRule] | None = None
    item_name: LocalText | None = Field(
        default=None,
        description="Repeat pages: what one item is called ('Add another vehicle')",
    )
    min_items: Annotated[int, Field(ge=0, le=MAX_REPEAT_ITEMS)] | None = Field(
        default=None, description="Repeat pages: the fewest items accepted (default 1)"
    )
    max_items: Annotated[int, Field(ge=1, le=MAX_REPEAT_ITEMS)] | None = Field(
        default=None, description="Repeat pages (required there): the most items, at most 50"
    )
    _language: str = PrivateAttr(default="en")

    @model_validator(mode="after")
    def _remember_language(self, info: ValidationInfo) -> Page:
        """A repeat page's default item name is in the language this copy was loaded in."""
        self._language = (info.context or {}).get("language") or "en"
        return self

    @property
    def heading(self) -> str:
        return self.title or (self.questions[0].label if len(self.questions) == 1 else self.id)

    @property
    def repeats(self) -> bool:
        return self.type == "repeat"

    @property
    def fewest_items(self) -> int:
        return 1 if self.min_items is None else self.min_items

    @property
    def most_items(self) -> int:
        return self.max_items or MAX_REPEAT_ITEMS

    @property
    def item_noun(self) -> str:
        return self.item_name or translator(self._language).gettext(N_("item"))

    @property
    def language(self) -> str:
        return self._language


TemplateId = LocalSymbol
"""A Notify template id: one for every language, or one per language (`{en: …, cy: …}`),
so that a Welsh speaker's emails come from a Welsh template (an extension of the format)."""


class Notify(Strict):
    """GOV.UK Notify emails after a submission (template ids are Notify's)."""

    email_question: Text | None = Field(
        default=None, description="The email question whose answer gets the resident's emails"
    )
    confirmation_template: TemplateId | None = Field(
        default=None, description="One template id, or one per language: {en: …, cy: …}"
    )
    status_template: TemplateId | None = Field(
        default=None, description="Sent to the resident when the case's status changes"
    )
    team_email: Text | None = Field(default=None, description="Gets a new-case email")
    team_template: TemplateId | None = Field(
        default=None, description="In the service's first language: the team's"
    )
    save_template: TemplateId | None = Field(
        default=None, description="Sent with the link when a resident saves to come back later"
    )


EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]


class Webhook(Strict):
    """A back-office system that gets each submission as a signed POST."""

    url_env: EnvName = Field(description="The environment variable that holds the URL")
    secret_env: EnvName = Field(description="The environment variable that holds the secret")


DEVELOPMENT_WEBHOOK = ("DEVELOPMENT_WEBHOOK_URL", "DEVELOPMENT_WEBHOOK_SECRET")
"""Where a webhook goes whose own variables are both unset, in development only (never where
SERVICE_BUILDER_ENV is test or production): `make run` points them at its development
receiver, so a webhook a designer has just added can be tried there."""


def webhook_target(
    environ: Mapping[str, str], url_env: str, secret_env: str
) -> tuple[str | None, str | None]:
    """A webhook's URL and secret from its variables or, in development when neither is
    set, from DEVELOPMENT_WEBHOOK_URL and DEVELOPMENT_WEBHOOK_SECRET. Here, beside the
    variables' names, so `validate` reads them without loading what sends."""
    url, secret = environ.get(url_env), environ.get(secret_env)
    developing = environ.get("SERVICE_BUILDER_ENV", "development") == "development"
    if not url and not secret and developing:
        url, secret = (environ.get(name) for name in DEVELOPMENT_WEBHOOK)
    return url, secret


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
    team: Slug | None = Field(default=None, description="The staff team that handles the cases")
    notify: Notify | None = None
    save_and_return: bool = Field(
        default=False,
        description="Residents may save their answers and get a link by email to come back later",
    )
    webhooks: list[Webhook] = Field(default_factory=list)
    payment: PaymentSpec | None = Field(
        default=None, description="Extension: a fee paid through GOV.UK Pay before sending"
    )

    _routes: Routes | None = PrivateAttr(default=None)
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

    def bind(self, routes: Routes, version: str) -> None:
        """Attach the compiled routes (the loader does this once, after every check passed)."""
        self._routes = routes
        self._version = version

    @property
    def routes(self) -> Routes:
        if self._routes is None:
            raise RuntimeError(f"service '{self.id}' was not loaded through load_definition")
        return self._routes

    def page(self, page_id: str) -> Page | None:
        if self._routes is not None:
            return self._routes.pages.get(page_id)
        return next((page for page in self.pages if page.id == page_id), None)

    def question(self, question_id: str) -> Question | None:
        if self._routes is not None:
            return self._routes.questions.get(question_id)
        return next((q for q in self.questions if q.id == question_id), None)

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
