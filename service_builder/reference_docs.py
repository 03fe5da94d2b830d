"""docs/reference.md, generated from the schema: every key, type and operator, each with an example.

A test regenerates it and checks that every key the schema has is described here, and that
every example is a valid definition, so the reference cannot drift from the engine.
"""

from __future__ import annotations

import textwrap
from typing import Any

from pydantic import BaseModel

from service_builder.conditions import COMPARISONS
from service_builder.definitions.payment import AmountRule, PaymentSpec
from service_builder.definitions.schema import (
    Confirmation,
    NextRule,
    Notify,
    Page,
    Service,
    Start,
    Webhook,
)
from service_builder.localised import CatalogueText
from service_builder.questions import QUESTION_TYPES, Option, Question

KEYS: dict[str, str] = {
    "Service.id": "Lower-case slug (`a-z`, `0-9`, `-`). The service's address is `/{id}/`.",
    "Service.title": "The service's name, in the header and every page title.",
    "Service.languages": "The languages the service is offered in, like `[en, cy]`; the "
    "first is the default. With more than one, every text needs every language "
    "(see *Text*) and each page links to the other language.",
    "Service.summary": "One sentence for the list of services and the start page.",
    "Service.start": "The start page: `body` and `button`. Without it, the first question "
    "page is the way in.",
    "Service.pages": "The pages, in order. The order is the route unless `next` says otherwise.",
    "Service.declaration": "Text above the send button on check your answers. In assisted "
    "mode the agent confirms the resident agreed to it.",
    "Service.submit_label": "The send button's text.",
    "Service.confirmation": "`title` and `body` of the confirmation page. The reference is "
    "always shown in a panel.",
    "Service.reference_prefix": "2 to 5 capital letters that start every reference, like "
    "`FLY` in `FLY-7K3Q-9XPD`.",
    "Service.retention_days": "Sent forms older than this are deleted by `service-builder purge`.",
    "Service.privacy_url": "(Extension) A privacy notice for this service, linked in its footer.",
    "Service.team": "The staff team whose caseworkers and agents see this service's cases.",
    "Service.notify": "GOV.UK Notify emails after a submission (see *After submission*).",
    "Service.save_and_return": "`true` offers residents *Save and come back later* on every "
    "question page: they get a single-use link by email (`notify.save_template`) and their "
    "answers are kept for 28 days.",
    "Service.webhooks": "Back-office systems that get each submission as a signed `POST`.",
    "Notify.email_question": "The `email` question whose answer gets the resident's emails.",
    "Notify.confirmation_template": "Notify template id of the resident's confirmation email. "
    "Extension: one per language, `{en: …, cy: …}`, for emails in the resident's language.",
    "Notify.status_template": "Notify template id sent when the case's status changes (one, "
    "or one per language).",
    "Notify.team_email": "An address that gets a new-case email.",
    "Notify.team_template": "Notify template id of the team's new-case email (in the "
    "service's first language).",
    "Notify.save_template": "Notify template id of the *Save and come back later* email "
    "(personalisation: `link`, `service_title`, `expiry_date`, `language`; one, or one per "
    "language).",
    "Service.payment": "Extension: a fee paid through GOV.UK Pay before the form is sent "
    "(by phone in assisted mode). Needs `PAY_API_KEY`.",
    "PaymentSpec.description": "What the payment is for, on GOV.UK Pay's pages (at most 255 "
    "characters; one per language).",
    "PaymentSpec.amount": "In pence: a whole number (`3500` is £35), or a list of rules "
    "`{when: CONDITION, amount: PENCE}` read in order on the answers on the route; the first "
    "that holds sets the fee. No rule holds, or `0`: nothing to pay.",
    "AmountRule.when": "A condition, as in `show_when` and `next`; only the last rule may "
    "leave it out.",
    "AmountRule.amount": "In pence, from 0 (nothing to pay) to 10000000 (£100,000).",
    "Webhook.url_env": "Name of the environment variable that holds the URL.",
    "Webhook.secret_env": "Name of the environment variable that holds the signing secret.",
    "Start.body": "Text for the start page (see *Text*).",
    "Start.button": "The start button's text.",
    "Confirmation.title": "The confirmation panel's heading.",
    "Confirmation.body": "What happens next. May use `{reference}`.",
    "Page.id": "Slug, unique in the service. The page's address is `/{service}/{page}`.",
    "Page.type": "`question` (the default), `content` (text and a Continue button), "
    "`exit` (text and no way on) or `repeat` (its questions asked once per item, as many "
    "times as the person needs: the GOV.UK *Add multiple things* pattern).",
    "Page.item_name": "Repeat pages: what one item is called, in lower case: `vehicle` gives "
    "'Do you want to add another vehicle?' and 'Vehicle 2'.",
    "Page.min_items": "Repeat pages: the fewest items accepted (default 1). Fewer gives an "
    "error on the list page.",
    "Page.max_items": "Repeat pages, required there: the most items, at most 50. Once "
    "reached, the list page stops asking whether to add another.",
    "Page.title": "The page heading. Needed when a page has more than one question; with "
    "one question, its label is the heading.",
    "Page.body": "Text under the heading. Needed on content and exit pages.",
    "Page.questions": "The questions (question and repeat pages only).",
    "Page.show_when": "A condition on answers from earlier pages. When it is false the page "
    "is skipped and its answers are not sent.",
    "Page.next": "Routing rules, tried in order: `when` (a condition) and `goto` (a page id "
    "or `check-answers`). Only the last rule may leave out `when`.",
    "NextRule.when": "A condition; it may read this page's answers.",
    "NextRule.goto": "A page id, or `check-answers` to end the questions.",
    "Question.id": "snake_case, unique in the whole service. The answer's key in exports.",
    "Question.type": "One of the question types below.",
    "Question.label": "The question, as the resident reads it.",
    "Question.hint": "Hint text under the label.",
    "Question.error_name": "The noun phrase default error messages use: `your date of "
    "birth` gives 'Enter your date of birth' and 'Your date of birth must be a real date'.",
    "Question.required": "`false` lets people leave it blank.",
    "Question.error_messages": "Your own wording for a check, like "
    "`{required: Select the bin that was missed}`.",
    "Question.show_when": "A condition on answers from earlier pages. When false, the "
    "question is hidden and not needed.",
    "Question.audience": "`all`, `resident` (online only) or `staff` (assisted mode only).",
    "Question.autocomplete": "An HTML autocomplete token such as `name`, `email`, `tel`, "
    "`postal-code` or `bday` (WCAG 1.3.5).",
    "Question.width": "Input width: `2`, `3`, `4`, `5`, `10`, `20`, `30` characters, or "
    "`one-quarter` … `full`.",
    "Option.value": "What is stored and exported.",
    "Option.label": "What people read.",
    "Option.hint": "Hint text under the option.",
    "TextQuestion.min_length": "Fewest characters.",
    "TextQuestion.max_length": "Most characters.",
    "TextQuestion.pattern": "A regular expression the whole answer must match. Spaces "
    "typed inside the answer are ignored when the pattern does not allow them.",
    "TextQuestion.pattern_message": "The error message when the pattern does not match; it "
    "wins over the length messages.",
    "TextQuestion.uppercase": "`true` stores the answer in capitals, like a vehicle "
    "registration number.",
    "TextQuestion.spellcheck": "`false` for names, references and codes.",
    "TextareaQuestion.max_length": "Most characters (shows a character count).",
    "AddressQuestion.lookup": "`true` finds the address from a postcode with the OS Places "
    "API (set `OS_PLACES_API_KEY`); the person can always type it instead. An address "
    "chosen from the list is stored with its `uprn`. Must be the only question on its page.",
    "TextareaQuestion.max_words": "Most words (shows a word count). Not with `max_length`.",
    "TextareaQuestion.rows": "Height of the box, in lines.",
    "NumberQuestion.min": "Smallest number allowed.",
    "NumberQuestion.max": "Largest number allowed.",
    "NumberQuestion.integer": "`true` for whole numbers only.",
    "NumberQuestion.prefix": "Shown before the box, like `£`; a word may be given in each "
    "language.",
    "NumberQuestion.suffix": "Shown after the box, like `kg`; a word may be given in each "
    "language (`{en: bags, cy: bagiau}`).",
    "NumberQuestion.suffix_one": "The suffix after the number 1, where `suffix` is a plural: "
    "`bag` shows '1 bag' on check your answers, not '1 bags'.",
    "DateQuestion.not_before": "Earliest date: `YYYY-MM-DD`, `today`, or a span from today "
    "such as `today + 2 weeks` (an extension).",
    "DateQuestion.not_after": "Latest date: `YYYY-MM-DD`, `today`, or a span from today such "
    "as `today - 18 years` (an extension).",
    "FileQuestion.accept": "The extensions accepted, each also checked by the file's first "
    "bytes (pdf, jpg, jpeg, png, gif, webp, heic, tif, tiff, doc, docx, xls, xlsx, odt); "
    "default `[pdf, jpg, jpeg, png]`.",
    "FileQuestion.max_size_mb": "The largest file accepted, in MB: default 10, at most 50.",
    "RadiosQuestion.options": "The options: `{value, label, hint}` mappings, or plain text.",
    "RadiosQuestion.inline": "`true` puts short options side by side.",
    "CheckboxesQuestion.options": "The options: `{value, label, hint}` mappings, or plain text.",
    "CheckboxesQuestion.min_selected": "Fewest options to choose.",
    "CheckboxesQuestion.max_selected": "Most options to choose.",
    "CheckboxesQuestion.exclusive": "The value of a 'None of these' option, which clears the "
    "others.",
    "SelectQuestion.options": "The options (prefer radios for fewer than 4).",
    "YesNoQuestion.inline": "`false` stacks Yes and No.",
    "YesNoQuestion.options": "Always `yes` and `no`: leave it out.",
}

TYPES: dict[str, tuple[str, str, str]] = {
    # type: (what it is for, what is stored, example)
    "text": (
        "A short answer on one line.",
        "text",
        """\
- id: full_name
  type: text
  label: What is your full name?
  autocomplete: name
  spellcheck: false
  max_length: 100
""",
    ),
    "textarea": (
        "A longer answer.",
        "text",
        """\
- id: description
  type: textarea
  label: What happened?
  hint: Include when and where it happened.
  error_name: what happened
  max_words: 150
""",
    ),
    "number": (
        "A number.",
        "a number",
        """\
- id: bag_count
  type: number
  label: How many bags are there?
  error_name: the number of bags
  integer: true
  min: 1
  max: 50
  suffix: bags
  suffix_one: bag
""",
    ),
    "email": (
        "An email address.",
        "text",
        """\
- id: email
  type: email
  label: What is your email address?
""",
    ),
    "phone": (
        "A UK or international telephone number.",
        "text, as typed",
        """\
- id: phone
  type: phone
  label: What is your telephone number?
  required: false
""",
    ),
    "date": (
        "A date, as day, month and year.",
        "`YYYY-MM-DD`",
        """\
- id: date_of_birth
  type: date
  label: What is your date of birth?
  autocomplete: bday
  not_after: today
""",
    ),
    "radios": (
        "One choice from a short list.",
        "the option's value",
        """\
- id: bin_type
  type: radios
  label: Which bin was missed?
  options:
    - {value: general, label: General waste}
    - {value: recycling, label: Recycling}
    - {value: garden, label: Garden waste}
""",
    ),
    "checkboxes": (
        "Any number of choices.",
        "a list of values, in option order",
        """\
- id: items
  type: checkboxes
  label: What needs collecting?
  exclusive: none
  options:
    - {value: sofa, label: Sofa}
    - {value: fridge, label: Fridge}
    - {value: none, label: None of these}
""",
    ),
    "select": (
        "One choice from a long list.",
        "the option's value",
        """\
- id: ward
  type: select
  label: Which ward do you live in?
  error_name: your ward
  options: [Abbey, Castle, Market, Riverside, Station]
""",
    ),
    "yes_no": (
        "Yes or no.",
        "`yes` or `no`",
        """\
- id: has_badge
  type: yes_no
  label: Do you have a Blue Badge?
  error_name: whether you have a Blue Badge
""",
    ),
    "postcode": (
        "A UK postcode.",
        "upper case with one space, like `AL1 2CD`",
        """\
- id: postcode
  type: postcode
  label: What is your postcode?
  autocomplete: postal-code
""",
    ),
    "address": (
        "A UK address: two lines, town and postcode.",
        "`{line_1, line_2, town, postcode}`",
        """\
- id: home_address
  type: address
  label: What is your address?
""",
    ),
    "file": (
        "One uploaded file (GOV.UK file upload), posted as `multipart/form-data`. Its type is "
        "checked by its content as well as its extension, its size while it is read; with "
        "`CLAMD_SOCKET` set it is scanned for viruses. Not on repeat pages.",
        "`{filename, size, content_type, sha256, file_id}`",
        """\
- id: photo
  type: file
  label: Upload a photo of the rubbish
  accept: [jpg, jpeg, png]
  max_size_mb: 10
""",
    ),
}

OPERATORS: dict[str, tuple[str, str]] = {
    "(value)": ("{bin_type: garden}", "the answer equals the value"),
    "eq": ("{bin_type: {eq: garden}}", "the answer equals the value"),
    "ne": ("{bin_type: {ne: garden}}", "the answer is given and differs"),
    "in": ("{bin_type: {in: [garden, general]}}", "the answer is one of the values"),
    "not_in": ("{bin_type: {not_in: [garden]}}", "the answer is given and is none of them"),
    "gt": ("{bag_count: {gt: 10}}", "more than (numbers and dates)"),
    "gte": ("{bag_count: {gte: 10}}", "at least (numbers and dates)"),
    "lt": ("{date_of_birth: {lt: '2008-01-01'}}", "less than (numbers and dates)"),
    "lte": ("{bag_count: {lte: 10}}", "at most (numbers and dates)"),
    "contains": ("{items: {contains: fridge}}", "a checkboxes answer includes the value"),
    "count": (
        "{vehicles: {count: {gte: 2}}}",
        "a repeat page (named by its id) has this many items: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`",
    ),
    "answered": ("{email: {answered: false}}", "any answer was given (`false`: none was)"),
    "all": ("{all: [{bin_type: garden}, {bag_count: {gt: 2}}]}", "every condition holds"),
    "any": ("{any: [{bin_type: garden}, {bag_count: {gt: 2}}]}", "at least one holds"),
    "not": ("{not: {bin_type: garden}}", "the condition does not hold"),
}


def models() -> list[tuple[str, type[BaseModel], list[str]]]:
    """Each model the format has, with the keys documented under it."""
    shared = list(Question.model_fields)
    found: list[tuple[str, type[BaseModel], list[str]]] = [
        ("Service", Service, list(Service.model_fields)),
        ("Start", Start, list(Start.model_fields)),
        ("Confirmation", Confirmation, list(Confirmation.model_fields)),
        ("Notify", Notify, list(Notify.model_fields)),
        ("Webhook", Webhook, list(Webhook.model_fields)),
        ("PaymentSpec", PaymentSpec, list(PaymentSpec.model_fields)),
        ("AmountRule", AmountRule, list(AmountRule.model_fields)),
        ("Page", Page, list(Page.model_fields)),
        ("NextRule", NextRule, list(NextRule.model_fields)),
        ("Question", Question, shared),
        ("Option", Option, list(Option.model_fields)),
    ]
    for cls in QUESTION_TYPES.values():
        found.append((cls.__name__, cls, [k for k in cls.model_fields if k not in shared]))
    return found


def render_reference() -> str:
    out = [
        "# Service definition reference",
        "",
        "Generated from the engine's schema by `make docs`; a test fails when it is out of "
        "date. For a walk-through, see the [designer's guide](designers-guide.md).",
        "",
    ]
    for title, model in (
        ("Service keys", "Service"),
        ("Start page", "Start"),
        ("Confirmation page", "Confirmation"),
        ("After submission: `notify`", "Notify"),
        ("After submission: `webhooks`", "Webhook"),
        ("Before submission: `payment`", "PaymentSpec"),
        ("Fee rules (`payment.amount`)", "AmountRule"),
        ("Page keys", "Page"),
        ("Routing rules (`next`)", "NextRule"),
        ("Question keys (every type)", "Question"),
        ("Options", "Option"),
    ):
        out += [f"## {title}", "", *_table(model), ""]
    out += ["## Question types", ""]
    for type_name, cls in QUESTION_TYPES.items():
        purpose, stored, example = TYPES[type_name]
        out += [f"### `{type_name}`", "", f"{purpose} Stored as {stored}.", ""]
        rows = _table(cls.__name__)
        out += rows if len(rows) > 2 else ["No keys of its own."]
        checks = ", ".join(f"`{c}`" for c in cls.checks)
        out += [
            "",
            f"`error_messages` checks: {checks}.",
            "",
            "```yaml",
            example.rstrip(),
            "```",
            "",
        ]
    out += [
        "## Text",
        "",
        "`body`, `start.body`, `confirmation.body` and `declaration` are plain text with "
        "a small, safe part of Markdown: paragraphs (a blank line between them), lists "
        "(lines starting `- `), `**bold**` and `[links](https://…)`. HTML is shown as "
        "text, never run.",
        "",
        "Every text (service `title`, `summary`, `start.body`, `start.button`, "
        "`declaration`, `submit_label`, `confirmation.title` and `body`, page `title` and "
        "`body`, repeat pages' `item_name`, question `label`, `hint`, `error_name` and "
        "`pattern_message`, `error_messages` values, option `label` and `hint`) is either a "
        "plain string, in the service's first language, or a mapping from language code to "
        "text:",
        "",
        "```yaml",
        "languages: [en, cy]",
        "title:",
        "  en: Apply for a resident parking permit",
        "  cy: Gwneud cais am drwydded parcio i breswylwyr",
        "```",
        "",
        "With more than one language, `validate` names every text that lacks one, as "
        "`file:line: key.path: no 'cy' text`. An option written as plain text "
        "(`options: [petrol, diesel]`) is its own value and label, so in a service with more "
        "than one language it is reported at `options[N].label`: give such options as "
        "`{value: petrol, label: {en: Petrol, cy: Petrol}}`. A number's `prefix`, `suffix` "
        "and `suffix_one` (an extension) may be one symbol for every language (`£`, `kg`) "
        "or a word in each (`{en: bags, cy: bagiau}`). Option values, ids and stored "
        "answers never depend on the language. The engine's own words (buttons, headings, "
        "default error messages, dates) come from its message catalogue in English and "
        "Welsh (`cy`).",
        "",
        "## Conditions",
        "",
        "Used by `show_when` and `next[].when`. Several keys in one mapping must all "
        "hold. A condition reads only answers on the current route: an answer to a page "
        "that was skipped, hidden or left behind after a change counts as unanswered. A "
        "comparison with a question that has no answer is false; only "
        "`answered: false` holds for it. Each question type accepts only the operators "
        "that can hold for it: an address only `answered`, checkboxes `contains` and "
        "`answered`, `gt`/`gte`/`lt`/`lte` only numbers and dates. A repeat page is named "
        "by its id, with `count` or `answered`; its own questions cannot be named.",
        "",
        "| operator | example | holds when |",
        "|---|---|---|",
    ]
    out += [f"| `{op}` | `{example}` | {meaning} |" for op, (example, meaning) in OPERATORS.items()]
    return "\n".join(out) + "\n"


def _table(model_name: str) -> list[str]:
    model, keys = next((m, k) for name, m, k in models() if name == model_name)
    rows = ["| key | required | default | meaning |", "|---|---|---|---|"]
    for key in keys:
        field = model.model_fields[key]
        default = (
            "" if field.is_required() else _default(field.get_default(call_default_factory=True))
        )
        rows.append(
            f"| `{key}` | {'yes' if field.is_required() else 'no'} | {default} | "
            f"{KEYS[f'{model_name}.{key}']} |"
        )
    return rows


def _default(value: Any) -> str:
    if isinstance(value, CatalogueText):
        value = value["en"]  # a default from the message catalogue, shown in English
    if value is None or value == [] or value == {} or isinstance(value, BaseModel | list):
        return ""
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def example_service(question_yaml: str) -> str:
    """A whole definition around one question example (to check that it is valid)."""
    around = "id: example\ntitle: Example\nteam: example\npages:\n  - id: page\n    questions:\n"
    return around + textwrap.indent(question_yaml, "      ")


ALL_OPERATORS = {*COMPARISONS, "answered", "all", "any", "not", "(value)", "count"}
