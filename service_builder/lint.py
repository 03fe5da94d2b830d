"""Content checks for designers: warnings in GOV.UK style terms, never blocking a service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from service_builder.definitions import Service
from service_builder.definitions.loader import format_path
from service_builder.definitions.yaml_source import KeyPath
from service_builder.explorer import pages_never_shown
from service_builder.questions import ChoiceQuestion, NumberQuestion, Question
from service_builder.questions.base import MAX_INPUT_CHARACTERS, has_determiner, noun_from_label
from service_builder.text import plain_text, unsafe_links

DEFAULT_READING_AGE = 9
"""GOV.UK writes for a reading age of 9."""
LONG_HINT_WORDS = 35
RADIOS_MAX_OPTIONS = 10
SELECT_MIN_OPTIONS = 4
ERROR_WORDS_TO_AVOID = (
    "please",
    "sorry",
    "invalid",
    "valid",
    "error",
    "illegal",
    "forbidden",
    "oops",
)
NAME_LIKE = re.compile(
    r"\b(full name|first name|last name|surname|your name|given name)\b|"
    r"^name$",
    re.IGNORECASE,
)
AUTOCOMPLETE_FOR_NAMES = {"name", "given-name", "family-name", "additional-name", "nickname"}


@dataclass(frozen=True)
class Warning:
    path: KeyPath
    message: str

    @property
    def where(self) -> str:
        return format_path(self.path)


def lint(service: Service, reading_age: int = DEFAULT_READING_AGE) -> list[Warning]:
    """Every warning for the service, in the order of the keys they are about."""
    return [
        *_service(service, reading_age),
        *_save_and_return(service),
        *_email_audience(service),
        *_notify_templates(service),
        *_generic_wording(service),
        *_links(service),
        *_never_shown(service),
    ]


def _never_shown(service: Service) -> Iterator[Warning]:
    """A page that no route the preview walks shows (it tries answers of each kind the
    conditions tell apart, so a page shown only for rarer answers, say two boxes ticked at
    once, is reported too: a warning, not a problem): its `show_when` holds only where no
    route to it goes, or its questions are all hidden. `validate` finds what no route reaches
    at all; this is the rest."""
    never = pages_never_shown(service) or []
    for index, page in enumerate(service.pages):
        if page.id not in never:
            continue
        condition = service.routes.page_conditions.get(page.id)
        yield Warning(
            ("pages", index),
            f"no route the preview walks shows page '{page.id}' (it tries answers of each kind "
            "the conditions compare): check that "
            + (
                f"its show_when ({condition.describe()}) can hold on a route to it"
                if condition
                else "some route to it has something on it to show"
            ),
        )


NOTIFY_TEMPLATE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TEMPLATE_KEYS = ("confirmation_template", "status_template", "team_template", "save_template")


def _notify_templates(service: Service) -> Iterator[Warning]:
    """Notify's template ids are UUIDs, and Notify refuses every email sent with anything
    else. A warning, not a refusal: the contract's examples write placeholders (`4f1c…`)."""
    for key in TEMPLATE_KEYS:
        values = {  # one per language, when the definition gives them so
            getattr(notify, key, None)
            for notify in (service.in_language(code).notify for code in service.languages)
        }
        for value in sorted(str(value) for value in values if value):
            if not NOTIFY_TEMPLATE_ID.fullmatch(value.strip().lower()):
                yield Warning(
                    ("notify", key),
                    f"'{value}' is not a GOV.UK Notify template id (a UUID such as "
                    "'f33517ff-2a88-4f6e-b855-c550268ce08a'): Notify will refuse these emails",
                )


SHORT_FORM_PAGES = 4
"""GOV.UK offers save and return on long forms; on fewer question pages it only adds a step."""


def _email_audience(service: Service) -> Iterator[Warning]:
    """An email question asked of only one audience: the other never gets an email."""
    notify = service.notify
    question = service.question(notify.email_question) if notify and notify.email_question else None
    if question is None or question.audience == "all":
        return
    missed = {"staff": "residents online", "resident": "callers whose form staff fill in"}
    yield Warning(
        ("notify", "email_question"),
        f"'{question.id}' is asked only with audience: {question.audience}, so "
        f"{missed[question.audience]} are never asked it and get no email",
    )


def _save_and_return(service: Service) -> Iterator[Warning]:
    notify = service.notify
    if not service.save_and_return:
        if notify is not None and notify.save_template:
            yield Warning(
                ("notify", "save_template"),
                "`save_template` is only sent with `save_and_return: true`",
            )
        return
    if notify is None or notify.email_question is None:
        yield Warning(
            ("save_and_return",),
            "no `notify.email_question`: people type their email address to save even "
            "when the form asks for it",
        )
    asking = [page for page in service.pages if page.type in ("question", "repeat")]
    if len(asking) < SHORT_FORM_PAGES:
        yield Warning(
            ("save_and_return",),
            f"only {len(asking)} question pages: save and return helps with long forms; "
            "a short one is quicker to finish",
        )


def _links(service: Service) -> Iterator[Warning]:
    """Markdown links the pages will show as plain text: unsafe or relative addresses."""
    for language in service.languages:
        copy = service.in_language(language)
        where = f" (in '{language}')" if len(service.languages) > 1 else ""
        texts: list[tuple[KeyPath, str | None]] = [
            (("start", "body"), copy.start.body if copy.start else None),
            (("declaration",), copy.declaration),
            (("confirmation", "body"), copy.confirmation.body),
            *((("pages", p, "body"), page.body) for p, page in enumerate(copy.pages)),
        ]
        for path, text in texts:
            for link in unsafe_links(text):
                yield Warning(
                    path,
                    f"the link '{link.label}'{where} is shown as plain text: its address "
                    f"'{link.url}' must start with https://, mailto:, tel:, / (a page on "
                    "this site) or #",
                )


def _generic_wording(service: Service) -> Iterator[Warning]:
    """Questions whose default error messages fall back to quoting the question."""
    for language in service.languages:
        copy = service.in_language(language)
        where = f" in '{language}'" if len(service.languages) > 1 else ""
        for p, page in enumerate(copy.pages):
            for q, question in enumerate(page.questions):
                if question.uses_generic_wording:
                    yield Warning(
                        ("pages", p, "questions", q, "label"),
                        f"default error messages{where} quote the question, like "
                        f"'{_quoting_message(question)}': add `error_name`, "
                        f"{_error_name_advice(question)}",
                    )
                elif bare := _bare_noun(question):
                    yield Warning(
                        ("pages", p, "questions", q, "label"),
                        f"the default error message reads '{question.required_message()}': add "
                        f"`error_name`, {_error_name_advice(question, f'your {bare}')}",
                    )


def _quoting_message(question: Question) -> str:
    """One default message that quotes the question, as the engine says it for this type
    ('Select yes or no to answer "…"', 'Enter the answer to "…"', '… must be a number')."""
    if question.required and "required" not in question.error_messages:
        message = question.required_message()
        if question.label.strip() in message:
            return message
    subject = question.names(subject=True)["name"]
    return f"{subject[:1].upper()}{subject[1:]} must …"


def _error_name_advice(question: Question, noun: str | None = None) -> str:
    """What to write in `error_name`, to fit the engine's words for the type: a yes/no
    question takes a clause ('Select whether you have a pet'), a choice a noun phrase after
    'Select', any other type one after 'Enter' and before 'must'."""
    if question.type == "yes_no":
        return "a clause such as `whether you have a pet`"
    if noun is None:
        noun = question.error_name_example
    return f"a noun phrase such as `{noun}`"


def _bare_noun(question: Question) -> str | None:
    """The noun phrase a required question's English label gives when it has no determiner
    ('Full name'): its default message says 'the' ('Enter the full name'), which is right
    but rarely what GOV.UK would write of the person's own ('Enter your full name')."""
    if question.error_name or question.type == "address" or not question.required:
        return None
    if question.error_noun is None or "required" in question.error_messages:
        return None
    noun = noun_from_label(question.label)
    return noun if noun and not has_determiner(noun) else None


def _service(service: Service, reading_age: int) -> Iterator[Warning]:
    texts: list[tuple[KeyPath, str | None]] = [
        (("summary",), service.summary),
        (("declaration",), service.declaration),
        (("start", "body"), service.start.body if service.start else None),
        (("confirmation", "body"), service.confirmation.body),
    ]
    if service.team is None:
        yield Warning(
            ("id",),
            "no `team`: its cases reach only supervisors and admins; name the staff team "
            "that handles them",
        )
    for p, page in enumerate(service.pages):
        texts.append((("pages", p, "body"), page.body))
        if page.repeats and not page.item_name:
            yield Warning(
                ("pages", p),
                "name one item with item_name (like 'vehicle'): without it people read "
                "'Do you want to add another item?'",
            )
        for q, question in enumerate(page.questions):
            path: KeyPath = ("pages", p, "questions", q)
            texts += [((*path, "label"), question.label), ((*path, "hint"), question.hint)]
            yield from _question(question, path, alone=len(page.questions) == 1)
            yield from _address_lookup(question, path)
            if question.type == "address" and question.width:
                yield Warning(
                    (*path, "width"),
                    "an address question sets its own widths (each field its own): "
                    "`width` does nothing",
                )
    for path, text in texts:
        age = estimated_reading_age(plain_text(text))
        if age is not None and age > reading_age:
            yield Warning(
                path,
                f"reading age is about {age}, above {reading_age}: use shorter "
                "sentences and simpler words",
            )


def _question(question: Question, path: KeyPath, alone: bool) -> Iterator[Warning]:
    # a file upload's label is an instruction in the GOV.UK pattern ('Upload a file')
    if alone and question.type != "file" and not question.label.rstrip().endswith("?"):
        yield Warning(
            (*path, "label"),
            "the only question on a page is its heading: ask it as a question, ending with '?'",
        )
    if question.hint and len(question.hint.split()) > LONG_HINT_WORDS:
        yield Warning(
            (*path, "hint"),
            f"hint is {len(question.hint.split())} words long: keep "
            f"hints under {LONG_HINT_WORDS} words, or put guidance in the page body",
        )
    for check, message in question.error_messages.items():
        yield from _error_message((*path, "error_messages", check), message)
    if isinstance(question, ChoiceQuestion) and question.type != "yes_no":
        count = len(question.options)
        if question.type in ("radios", "checkboxes") and count > RADIOS_MAX_OPTIONS:
            yield Warning(
                (*path, "options"),
                f"{count} options are a lot to scan: consider a "
                "select, or asking a question that narrows them down",
            )
        if question.type == "select" and count < SELECT_MIN_OPTIONS:
            yield Warning(
                (*path, "options"),
                f"a select with {count} options hides them: use radios, which people find easier",
            )
    if (
        question.type == "text"
        and NAME_LIKE.search(question.label)
        and (question.autocomplete not in AUTOCOMPLETE_FOR_NAMES)
    ):
        yield Warning(
            (*path, "autocomplete"),
            "a name question needs `autocomplete: name` (or "
            "given-name, family-name) so browsers can fill it in (WCAG 1.3.5)",
        )
    if question.type == "postcode" and question.autocomplete is None:
        yield Warning(
            (*path, "autocomplete"),
            "say whose postcode this is: `autocomplete: postal-code` when it is the person's "
            'own (WCAG 1.3.5), `autocomplete: "off"` when it is not (a nearest postcode)',
        )
    if isinstance(question, NumberQuestion):
        yield from _number(question, path)
    if question.type in ("text", "textarea") and not _limited(question):
        yield Warning(
            path,
            f"a {question.type} question without `max_length` accepts up to "
            f"{MAX_INPUT_CHARACTERS:,} characters: set the longest answer that makes sense"
            + (
                " (a textarea with a limit shows a character count)"
                if question.type == "textarea"
                else ""
            ),
        )
    if question.type == "text" and re.search(
        r"phone|mobile|email|postcode|address", question.label, re.IGNORECASE
    ):
        yield Warning(
            (*path, "type"),
            "this looks like a phone, email, postcode or address "
            "question: use that question type for its checks and autocomplete",
        )


def _number(question: NumberQuestion, path: KeyPath) -> Iterator[Warning]:
    if question.max is None:
        yield Warning(
            path,
            "a number question without `max` accepts up to 999,999,999,999,999: "
            "set the largest answer that makes sense",
        )
    if _says_1_in_the_plural(question):
        yield Warning(
            (*path, "suffix"),
            f"an answer of 1 would read '1 {question.suffix}': give the word for one as "
            "`suffix_one`",
        )


def _says_1_in_the_plural(question: NumberQuestion) -> bool:
    """A suffix that looks like an English plural ('bags', not 'kg' or 'glass'), with no word
    for one, where 1 is an answer the question takes."""
    suffix = (question.suffix or "").strip()
    takes_1 = (question.min is None or question.min <= 1) and (
        question.max is None or question.max >= 1
    )
    return takes_1 and not question.suffix_one and bool(re.search(r"[a-z][^s\W]s$", suffix))


def _limited(question: Question) -> bool:
    """Whether a text answer has a most characters: its own, or a pattern that allows only
    so many (`^5[0-9]{7}$`, not `.*` or `[A-Z]+`)."""
    if getattr(question, "max_length", None) or getattr(question, "max_words", None):
        return True
    pattern = getattr(question, "pattern", None)
    return bool(pattern) and not re.search(r"(?<!\\)[*+]|\{\d*,\}", str(pattern))


def _address_lookup(question: Question, path: KeyPath) -> Iterator[Warning]:
    """Messages for the address lookup's steps only show when the question looks up."""
    if question.type != "address" or getattr(question, "lookup", False):
        return
    for check in question.error_messages:
        if check.startswith("lookup_"):
            yield Warning(
                (*path, "error_messages", check),
                f"'{check}' is only shown by an address lookup: add `lookup: true`, or remove it",
            )


def _error_message(path: KeyPath, message: str) -> Iterator[Warning]:
    words = set(re.findall(r"[a-z]+", message.lower()))
    avoid = [word for word in ERROR_WORDS_TO_AVOID if word in words]
    if avoid:
        yield Warning(
            path,
            f"error messages avoid '{avoid[0]}': say what to do, plainly, "
            "like 'Enter your date of birth'",
        )
    if message.rstrip().endswith((".", "!")):
        yield Warning(path, "error messages do not end with a full stop or exclamation mark")
    if message[:1].islower():
        yield Warning(path, "start error messages with a capital letter")


def estimated_reading_age(text: str) -> int | None:
    """Flesch-Kincaid grade + 5, for text of at least 12 words; None for shorter text."""
    words = re.findall(r"[A-Za-z]+(?:'[a-z]+)?", text)
    if len(words) < 12:
        return None
    pieces = [p for p in re.split(r"[.!?:;]+(?:\s|$)|\n", text) if re.search(r"[A-Za-z]", p)]
    sentences = max(1, len(pieces))
    syllables = sum(_syllables(word) for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return max(5, round(grade + 5))


def _syllables(word: str) -> int:
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)
