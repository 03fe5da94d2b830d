"""XGovFormBuilder (digital-form-builder) form JSON: pages, components, lists, conditions.

DEFRA's forms engine grew from this format, so `defra.py` extends the reader here.
"""

from __future__ import annotations

import re
from typing import Any

from service_builder.importers.markdown import html_to_markdown, plain, safe_markdown
from service_builder.importers.routing import route_order
from service_builder.importers.writer import (
    CHECK_ANSWERS,
    FILE_REPEATED,
    IdMaker,
    Imported,
    Notes,
    Txt,
    drop_pages,
    env_name,
    finalise,
    id_from_text,
    looks_random,
    page_ids,
    service_id,
    slug,
    snake,
    whole,
)

Condition = dict[str, Any]
CONTENT = {"Para", "Html", "InsetText", "Details", "Markdown", "List", "FlashCard"}
TIME_PATTERN = r"([01]?[0-9]|2[0-3]):[0-5][0-9]"
URL_PATTERN = r"https?://\S+\.\S+"
MAX_REPEAT = 50
ORDERED_OPERATORS = {
    "is at least": "gte",
    "is at most": "lte",
    "is less than": "lt",
    "is more than": "gt",
    "is before": "lt",
    "is after": "gt",
}
AUTOCOMPLETE_WORDS = (
    (r"\b(first|given|fore) ?names?\b", "given-name"),
    (r"\b(last|family) name|\bsurname", "family-name"),
    (r"\bfull name|\byour name\b|^name$", "name"),
    (r"\b(organisation|organization|company|business) name", "organization"),
)
FIXED_SHAPES: dict[str, dict[str, Any]] = {
    "YesNoField": {"type": "yes_no"},
    "UkAddressField": {"type": "address"},
    "TelephoneNumberField": {"type": "phone"},
    "EmailAddressField": {"type": "email"},
    "TimeField": {
        "type": "text",
        "pattern": TIME_PATTERN,
        "pattern_message": "Enter a time in the 24-hour clock, like 14:30",
        "width": 5,
    },
    "WebsiteField": {
        "type": "text",
        "pattern": URL_PATTERN,
        "pattern_message": "Enter a web address starting with https://",
        "autocomplete": "url",
    },
}
FIXED_SHAPES["URL"] = FIXED_SHAPES["WebsiteField"]
CHOICES = {
    "RadiosField": "radios",
    "SelectField": "select",
    "AutocompleteField": "select",
    "CheckboxesField": "checkboxes",
}
WIDTHS = {
    2,
    3,
    4,
    5,
    10,
    20,
    30,
    "one-quarter",
    "one-third",
    "one-half",
    "two-thirds",
    "three-quarters",
    "full",
}
WIDTH_CLASS = re.compile(r"govuk-(?:input--width-(\d+)|!-width-([a-z-]+))")


class XGovReader:
    """Reads one XGov form definition (parsed JSON) into this project's definition format."""

    platform = "xgov"
    repeat_controller = "RepeatingFieldPageController"

    def __init__(self, data: dict[str, Any], file_stem: str) -> None:
        self.data = data
        self.file_stem = file_stem
        self.notes = Notes()
        self.questions: dict[str, dict[str, Any]] = {}
        """Component name (and V2 component id) -> the question made from it."""
        self.kinds: dict[str, str] = {}
        """Question id -> the source component type."""
        self.page_of: dict[str, int] = {}
        """Question id -> index of its page in the output."""
        self.conditions = {c.get("name") or c.get("id"): c for c in data.get("conditions") or []}
        self.list_items: dict[str, str] = {}
        """V2 list item id -> its option value."""
        self.lists = self._read_lists()
        self.question_ids = IdMaker("_")
        self.pages_made: list[dict[str, Any]] = []

    # -- texts -----------------------------------------------------------------------------

    def txt(self, value: Any) -> Txt | None:
        """A localised source string (`"…"` or `{en, cy}`) as a Txt; None when empty."""
        if isinstance(value, dict):
            english = plain(str(value.get("en") or ""))
            welsh = value.get("cy")
            return Txt(english, plain(str(welsh)) if welsh else None) if english else None
        text = plain(str(value or ""))
        return Txt(text) if text else None

    def markdown(self, value: Any, html: bool) -> Txt | None:
        convert = html_to_markdown if html else safe_markdown
        if isinstance(value, dict):
            english = convert(str(value.get("en") or ""))
            welsh = value.get("cy")
            return Txt(english, convert(str(welsh)) if welsh else None) if english else None
        text = convert(str(value or ""))
        return Txt(text) if text else None

    # -- lists -----------------------------------------------------------------------------

    def _read_lists(self) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        for index, source in enumerate(self.data.get("lists") or []):
            items = []
            for position, item in enumerate(source.get("items") or []):
                label = self.txt(item.get("text")) or Txt(str(item.get("value")))
                option: dict[str, Any] = {"value": str(item.get("value")), "label": label}
                hint = item.get("description") or (item.get("hint") or {}).get("text")
                if hint and self.txt(hint):
                    option["hint"] = self.txt(hint)
                items.append(option)
                where = f"lists[{index}].items[{position}]"
                if item.get("condition"):
                    self.notes.add(
                        f"{where}.condition",
                        "options shown only under a condition have no equivalent: always shown",
                    )
                if (item.get("conditional") or {}).get("components"):
                    self.notes.add(
                        f"{where}.conditional",
                        "questions revealed under an option have no equivalent here: "
                        "ask them on a page of their own",
                    )
                if item.get("id"):
                    self.list_items[item["id"]] = option["value"]
            for key in (source.get("name"), source.get("id")):
                if key:
                    lists[key] = items
        return lists

    def options(self, component: dict[str, Any], path: str) -> list[Any] | None:
        items = self.lists.get(component.get("list") or "")
        if not items:
            self.notes.add(path, "its list of options is missing")
            return None
        return [_option(item) for item in items]

    # -- the whole service -----------------------------------------------------------------

    def read(self) -> Imported:
        pages = [p for p in self.data.get("pages") or [] if isinstance(p, dict) and p.get("path")]
        summary = {p["path"] for p in pages if self.is_summary(p)}
        by_path = {p["path"]: p for p in pages if p.get("path") not in summary}
        start_path = self.data.get("startPage") or next(iter(by_path), "")
        service: dict[str, Any] = {
            "title": self.txt(self.name()) or Txt(self.file_stem.replace("-", " ").capitalize()),
        }
        service = {"id": service_id(service["title"].en, self.file_stem), **service}
        start_page = by_path.get(start_path)
        if start_page and self.is_start(start_page):
            body = self.page_body(start_page, f"pages[{pages.index(start_page)}]")
            if body:
                service["start"] = {"body": body}
            targets = [link["path"] for link in start_page.get("next") or [] if link.get("path")]
            start_path = targets[0] if targets else _following(pages, start_page, summary)
            del by_path[start_page["path"]]
        links = self.links(pages, by_path, summary)
        order = route_order(start_path, links, list(by_path))
        for path in by_path:
            if path not in order:
                self.notes.add(
                    f"pages[{pages.index(by_path[path])}]",
                    "no route from the start page reaches this page",
                )
        ids = page_ids()
        page_id = {path: ids.make(slug(path, "page")) for path in order}
        page_id.update({path: CHECK_ANSWERS for path in summary})
        for position, path in enumerate(order):
            page = by_path[path]
            self.pages_made.append(
                self.make_page(page, f"pages[{pages.index(page)}]", page_id[path], position)
            )
        for position, path in enumerate(order):
            self.route(by_path[path], self.pages_made[position], page_id, position, order)
        where = {page_id[path]: f"pages[{pages.index(by_path[path])}]" for path in order}
        drop_pages(self.pages_made, self.notes, where)
        if self.data.get("sections"):
            self.notes.add(
                "sections", "section headings have no equivalent: pages keep their order"
            )
        service["pages"] = self.pages_made
        self.service_extras(service, pages)
        return Imported(finalise(service, self.notes), self.notes.items)

    def name(self) -> Any:
        return self.data.get("name")

    def is_summary(self, page: dict[str, Any]) -> bool:
        controller = str(page.get("controller") or "")
        return "Summary" in controller or "summary" in controller or page.get("path") == "/summary"

    def is_start(self, page: dict[str, Any]) -> bool:
        controller = str(page.get("controller") or "")
        inputs = [c for c in page.get("components") or [] if c.get("type") not in CONTENT]
        return ("Start" in controller or "start" in controller) and not inputs

    def is_exit(self, page: dict[str, Any]) -> bool:
        controller = str(page.get("controller") or "")
        inputs = [c for c in page.get("components") or [] if c.get("type") not in CONTENT]
        return "Terminal" in controller or (not inputs and not page.get("next"))

    def links(
        self, pages: list[dict[str, Any]], by_path: dict[str, Any], summary: set[str]
    ) -> dict[str, list[str]]:
        """Page path -> the paths it can lead to (the summary is where journeys end)."""
        return {
            path: [
                link["path"]
                for link in page.get("next") or []
                if link.get("path") in by_path and link["path"] != path
            ]
            for path, page in by_path.items()
        }

    # -- pages -----------------------------------------------------------------------------

    def page_body(self, page: dict[str, Any], where: str) -> Txt | None:
        parts = [
            self.content(component, f"{where}.components[{index}]")
            for index, component in enumerate(page.get("components") or [])
            if component.get("type") in CONTENT
        ]
        found = [part for part in parts if part]
        if not found:
            return None
        english = "\n\n".join(part.en for part in found)
        welsh = None
        if any(part.cy for part in found):
            welsh = "\n\n".join(part.cy or part.en for part in found)
        return Txt(english, welsh)

    def content(self, component: dict[str, Any], where: str) -> Txt | None:
        kind = component.get("type")
        if component.get("options", {}).get("condition"):
            self.notes.add(
                f"{where}.options.condition", "content shown under a condition: always shown"
            )
        if kind in ("List", "FlashCard"):
            items = self.lists.get(component.get("list") or "") or []
            lines = [f"- {_en(item['label'])}" for item in items]
            welsh = [f"- {_cy(item['label'])}" for item in items]
            text = "\n".join(lines)
            return Txt(text, "\n".join(welsh) if any(_has_cy(i["label"]) for i in items) else None)
        body = self.markdown(component.get("content"), html=kind != "Markdown")
        if kind == "Details":
            title = self.txt(component.get("title"))
            if title and body:
                cy = f"**{title.cy or title.en}**\n\n{body.cy or body.en}"
                return Txt(f"**{title.en}**\n\n{body.en}", cy if (title.cy or body.cy) else None)
        return body

    def make_page(
        self, page: dict[str, Any], where: str, page_id: str, position: int
    ) -> dict[str, Any]:
        made: dict[str, Any] = {"id": page_id}
        questions = []
        for index, component in enumerate(page.get("components") or []):
            if component.get("type") in CONTENT:
                continue
            question = self.question(component, page, f"{where}.components[{index}]")
            if question:
                questions.append(question)
                self.page_of[question["id"]] = position
        title = self.txt(page.get("title"))
        body = self.page_body(page, where)
        if not questions:
            made["type"] = "exit" if self.is_exit(page) else "content"
            made["title"] = title or Txt(page_id.replace("-", " ").capitalize())
            made["body"] = body or made["title"]
            return made
        repeat = self.repeat(page, where, questions)
        if repeat:
            made.update(repeat)
        if title and (
            len(questions) > 1 or body or repeat or title.en != _en(questions[0]["label"])
        ):
            made["title"] = title
        elif len(questions) > 1:
            made["title"] = Txt(page_id.replace("-", " ").capitalize())
        if body:
            made["body"] = body
            made.setdefault("title", title or questions[0]["label"])
        made["questions"] = questions
        return made

    def repeat(
        self, page: dict[str, Any], where: str, questions: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        if not str(page.get("controller") or "").endswith(self.repeat_controller):
            return None
        if any(question["type"] == "file" for question in questions):
            self.notes.add(f"{where}.controller", FILE_REPEATED)
            return None
        self.notes.add(
            f"{where}.controller",
            f"no maximum number of answers in the source: max_items is set to {10}",
        )
        label = _en(questions[0]["label"])
        return {
            "type": "repeat",
            "title": self.txt(page.get("title")) or questions[0]["label"],
            "item_name": Txt(id_from_text(label, "answer").split("_")[0]),
            "max_items": 10,
        }

    # -- questions -------------------------------------------------------------------------

    def question_id(self, component: dict[str, Any], label: str) -> str:
        name = str(component.get("name") or "")
        wanted = id_from_text(label, "answer") if looks_random(name) else snake(name)
        return self.question_ids.make(wanted)

    def question(
        self, component: dict[str, Any], page: dict[str, Any], where: str
    ) -> dict[str, Any] | None:
        kind = str(component.get("type"))
        label = self.txt(component.get("title")) or self.txt(page.get("title"))
        if label is None:
            self.notes.add(where, f"{kind} has no question text")
            return None
        shape = self.shape(kind, component, where)
        if shape is None:
            return None
        question: dict[str, Any] = {
            "id": self.question_id(component, label.en),
            "type": shape.pop("type"),
            "label": label,
        }
        hint = self.txt(component.get("hint"))
        if hint:
            question["hint"] = hint
        options = component.get("options") or {}
        if options.get("required") is False:
            question["required"] = False
        question.update(shape)
        self.common_options(question, options, where)
        for key in (component.get("name"), component.get("id")):
            if key:
                self.questions[key] = question
        self.kinds[question["id"]] = kind
        return question

    def common_options(self, question: dict[str, Any], options: dict[str, Any], where: str) -> None:
        kind = question["type"]
        if kind == "text" and "autocomplete" not in question:
            for words, token in AUTOCOMPLETE_WORDS:
                if re.search(words, _en(question["label"]), re.IGNORECASE):
                    question["autocomplete"] = token
                    break
        if options.get("autocomplete") and kind in ("text", "email", "phone", "postcode"):
            question["autocomplete"] = str(options["autocomplete"])
        width = WIDTH_CLASS.search(str(options.get("classes") or ""))
        value = (int(width.group(1)) if width.group(1) else width.group(2)) if width else None
        if value in WIDTHS and kind in ("text", "number", "email", "phone", "postcode"):
            question["width"] = value
        message = plain(str(options.get("customValidationMessage") or ""))
        if message:
            question["error_messages"] = {"required": message}
        if options.get("condition"):
            self.notes.add(
                f"{where}.options.condition",
                "a question shown under a condition on its own page: always asked",
            )

    def shape(self, kind: str, component: dict[str, Any], where: str) -> dict[str, Any] | None:
        """The question type and its type's keys for one source component type."""
        schema = component.get("schema") or {}
        options = component.get("options") or {}
        fixed = FIXED_SHAPES.get(kind)
        if fixed is not None:
            return dict(fixed)
        if kind == "TextField":
            return {"type": "text", **_lengths(schema)}
        if kind in ("MultilineTextField", "FreeTextField"):
            return _textarea(schema, options)
        if kind in ("DateField", "DatePartsField", "DateTimeField", "DateTimePartsField"):
            if "Time" in kind:
                self.notes.add(f"{where}.time", "the time of day has no equivalent: only the date")
            return {"type": "date", **self.date_limits(options, where)}
        if kind in CHOICES:
            return self.choice(CHOICES[kind], component, schema, where)
        if kind == "NumberField":
            return _number(schema, options)
        if kind == "FileUploadField":
            return {"type": "file"}  # the engine's default types and size limit
        return self.other_shape(kind, component, where)

    def choice(
        self, made: str, component: dict[str, Any], schema: dict[str, Any], where: str
    ) -> dict[str, Any] | None:
        choices = self.options(component, where)
        if choices is None:
            return None
        shape: dict[str, Any] = {"type": made, "options": choices}
        if made == "checkboxes":
            for source, key in (("min", "min_selected"), ("max", "max_selected")):
                count = whole(schema.get(source))
                if count and count <= len(choices):
                    shape[key] = count
        return shape

    def other_shape(
        self, kind: str, component: dict[str, Any], where: str
    ) -> dict[str, Any] | None:
        self.notes.add(where, f"{kind} has no equivalent question type")
        return None

    def date_limits(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        limits: dict[str, Any] = {}
        for key, bound in (("maxDaysInPast", "not_before"), ("maxDaysInFuture", "not_after")):
            days = options.get(key)
            if days in (None, ""):
                continue
            if str(days).strip() in ("0", "0.0"):
                limits[bound] = "today"
            else:
                self.notes.add(
                    f"{where}.options.{key}",
                    f"a limit of {days} days from today has no equivalent (dates are fixed "
                    "or 'today')",
                )
        return limits

    # -- routing and conditions ------------------------------------------------------------

    def route(
        self,
        page: dict[str, Any],
        made: dict[str, Any],
        page_id: dict[str, str],
        position: int,
        order: list[str],
    ) -> None:
        where = f"pages[{(self.data.get('pages') or []).index(page)}]"
        condition = page.get("condition")
        if condition:
            when = self.condition(str(condition), f"{where}.condition", before=position)
            if when:
                made["show_when"] = when
        if made.get("type") == "exit":
            return
        rules: list[dict[str, Any]] = []
        fallback = None
        for index, link in enumerate(page.get("next") or []):
            if link.get("redirect"):
                self.notes.add(f"{where}.next[{index}].redirect", "a link to another website")
            target = page_id.get(str(link.get("path")))
            if target is None:
                self.notes.add(f"{where}.next[{index}]", "it leads to a page that does not exist")
                continue
            if not link.get("condition"):
                fallback = fallback or target  # the source lists its default link first
                continue
            when = self.condition(
                str(link["condition"]), f"{where}.next[{index}]", before=position + 1
            )
            if when is not None:
                rules.append({"when": when, "goto": target})
        following = page_id.get(order[position + 1]) if position + 1 < len(order) else None
        fallback = fallback or CHECK_ANSWERS  # no default link: the source goes to its summary
        if rules or fallback != (following or CHECK_ANSWERS):
            made["next"] = [*rules, {"goto": fallback}]

    def condition(self, name: str, where: str, before: int) -> Condition | None:
        """A named source condition in this format, or None (noted) when it cannot be."""
        source = self.conditions.get(name)
        if source is None:
            self.notes.add(where, f"the condition '{name}' is not defined")
            return None
        try:
            return self.translate(source, before, set())
        except Untranslatable as problem:
            self.notes.add(where, f"condition '{_display(source)}': {problem}; not imported")
            return None

    def translate(self, source: dict[str, Any], before: int, seen: set[str]) -> Condition:
        value = source.get("value")
        if not isinstance(value, dict):
            raise Untranslatable("a condition written as an expression string")
        return self.group(value.get("conditions") or [], before, seen | {source.get("name", "")})

    def group(self, items: list[dict[str, Any]], before: int, seen: set[str]) -> Condition:
        """Source coordinators (`and` binds tighter than `or`) as all/any."""
        alternatives: list[list[Condition]] = []
        for index, item in enumerate(items):
            part = self.item(item, before, seen)
            if index == 0 or str(item.get("coordinator") or "and").lower() == "or":
                alternatives.append([part])
            else:
                alternatives[-1].append(part)
        if not alternatives:
            raise Untranslatable("it is empty")
        branches = [parts[0] if len(parts) == 1 else {"all": parts} for parts in alternatives]
        return branches[0] if len(branches) == 1 else {"any": branches}

    def item(self, item: dict[str, Any], before: int, seen: set[str]) -> Condition:
        if "conditions" in item:
            return self.group(item["conditions"], before, seen)
        named = item.get("conditionName")
        if named:
            if named in seen or named not in self.conditions:
                raise Untranslatable(f"'{named}' is missing or refers to itself")
            return self.translate(self.conditions[named], before, seen)
        field = item.get("field") or {}
        name = str(field.get("name") or "")
        if name not in self.questions and "." in name:  # `section.component`
            name = name.split(".", 1)[1]
        value = item.get("value") or {}
        if value.get("type") in ("RelativeTime", "RelativeDate") or "timePeriod" in value:
            raise Untranslatable("dates relative to today have no equivalent")
        return self.compare(name, str(item.get("operator")), value.get("value"), before)

    def compare(self, name: str, operator: str, value: Any, before: int) -> Condition:
        question = self.questions.get(name)
        if question is None:
            raise Untranslatable(f"it reads '{name}', which was not imported")
        qid, kind = question["id"], question["type"]
        if self.page_of.get(qid, before) >= before:
            raise Untranslatable(f"it reads '{qid}' before that question is asked")
        if question in (
            q for p in self.pages_made if p.get("type") == "repeat" for q in p["questions"]
        ):
            raise Untranslatable(f"it reads '{qid}', one of a list of answers")
        operand = _operand(question, value)
        op = operator.lower()
        if (op in ("is", "==") and kind == "checkboxes") or op == "contains":
            return {qid: {"contains": operand}}
        if (op in ("is not", "!=") and kind == "checkboxes") or op == "does not contain":
            return {"not": {qid: {"contains": operand}}}
        if op in ("is", "=="):
            return {qid: operand}
        if op in ("is not", "!="):
            return {qid: {"ne": operand}}
        if op in ORDERED_OPERATORS and kind in ("number", "date"):
            return {qid: {ORDERED_OPERATORS[op]: operand}}
        raise Untranslatable(f"'{operator}' has no equivalent for a {kind} question")

    # -- after submission ------------------------------------------------------------------

    def service_extras(self, service: dict[str, Any], pages: list[dict[str, Any]]) -> None:
        declaration = self.data.get("declaration")
        if declaration and self.markdown(declaration, html=True):
            service["declaration"] = self.markdown(declaration, html=True)
        confirmation = ((self.data.get("specialPages") or {}).get("confirmationPage") or {}).get(
            "customText"
        ) or {}
        if confirmation.get("title") or isinstance(confirmation.get("nextSteps"), str):
            made: dict[str, Any] = {}
            if confirmation.get("title"):
                made["title"] = self.txt(confirmation["title"])
            if isinstance(confirmation.get("nextSteps"), str):
                made["body"] = self.markdown(confirmation["nextSteps"], html=True)
            service["confirmation"] = made
        self.outputs(service)
        self.fees()

    def outputs(self, service: dict[str, Any]) -> None:
        for index, output in enumerate(self.data.get("outputs") or []):
            where = f"outputs[{index}]"
            kind = output.get("type")
            config = output.get("outputConfiguration") or {}
            if kind == "notify" and "notify" not in service:
                email = self.questions.get(str(config.get("emailField") or ""))
                if email is None or email["type"] != "email" or not config.get("templateId"):
                    self.notes.add(where, "a Notify email without an email question or template")
                    continue
                service["notify"] = {
                    "email_question": email["id"],
                    "confirmation_template": str(config["templateId"]),
                }
                if config.get("apiKey"):
                    self.notes.add(
                        f"{where}.outputConfiguration.apiKey",
                        "Notify API keys are never copied: set NOTIFY_API_KEY",
                    )
                if config.get("personalisation"):
                    self.notes.add(
                        f"{where}.outputConfiguration.personalisation",
                        "extra personalisation fields: the template gets reference, "
                        "service_title and status_url",
                    )
            elif kind == "webhook":
                hook_id = (
                    service["id"] if not service.get("webhooks") else f"{service['id']}-{index}"
                )
                hook = {
                    "url_env": env_name(hook_id, "WEBHOOK_URL"),
                    "secret_env": env_name(hook_id, "WEBHOOK_SECRET"),
                }
                service.setdefault("webhooks", []).append(hook)
                self.notes.add(
                    f"{where}.outputConfiguration.url",
                    f"URLs are never copied: set {hook['url_env']} to this URL and "
                    f"{hook['secret_env']} to a shared secret",
                )
            else:
                self.notes.add(where, f"an output of type '{kind}' has no equivalent")

    def fees(self) -> None:
        for index, fee in enumerate(self.data.get("fees") or []):
            amount = fee.get("amount")
            pounds = f"£{amount / 100:.2f}" if isinstance(amount, int | float) else str(amount)
            when = f" when '{fee['condition']}'" if fee.get("condition") else ""
            self.notes.add(
                f"fees[{index}]",
                f"fee {pounds} for '{fee.get('description', '')}'{when}: for the payments feature",
            )
        for key in ("feeOptions", "payApiKey", "paymentReferenceFormat"):
            if self.data.get(key):
                self.notes.add(key, "payment settings: for the payments feature (keys not copied)")


class Untranslatable(Exception):
    """A source condition with no equivalent here."""


def _option(item: dict[str, Any]) -> Any:
    label = item["label"]
    if (
        "hint" not in item
        and isinstance(label, Txt)
        and label.cy is None
        and label.en == item["value"]
    ):
        return item["value"]
    return dict(item)


def _operand(question: dict[str, Any], value: Any) -> Any:
    kind = question["type"]
    text = str(value if value is not None else "")
    if kind == "yes_no":
        return "yes" if text.lower() in ("true", "yes", "1") else "no"
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise Untranslatable(f"'{text}' is not a number") from None
        return int(number) if number.is_integer() else number
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]):
            raise Untranslatable(f"'{text}' is not a date")
        return text[:10]
    if kind in ("radios", "select", "checkboxes"):
        values = [o if isinstance(o, str) else o["value"] for o in question["options"]]
        if text not in values:
            matches = [
                v
                for o, v in zip(question["options"], values, strict=True)
                if isinstance(o, dict) and _en(o["label"]).lower() == text.lower()
            ]
            if not matches:
                raise Untranslatable(f"'{text}' is not one of its options")
            return matches[0]
    return text


def _following(pages: list[dict[str, Any]], page: dict[str, Any], summary: set[str]) -> str:
    later = [p["path"] for p in pages[pages.index(page) + 1 :] if p["path"] not in summary]
    return later[0] if later else ""


def _display(source: dict[str, Any]) -> str:
    return str(source.get("displayName") or source.get("name") or source.get("id"))


def _en(text: Any) -> str:
    return text.en if isinstance(text, Txt) else str(text)


def _cy(text: Any) -> str:
    return (text.cy or text.en) if isinstance(text, Txt) else str(text)


def _has_cy(text: Any) -> bool:
    return isinstance(text, Txt) and text.cy is not None


def _textarea(schema: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "textarea"}
    if whole(options.get("maxWords")):
        shape["max_words"] = whole(options["maxWords"])
    elif whole(schema.get("max")):
        shape["max_length"] = whole(schema["max"])
    if whole(options.get("rows")):
        shape["rows"] = whole(options["rows"])
    return shape


def _number(schema: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "number"}
    for key in ("min", "max"):
        if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool):
            shape[key] = schema[key]
    if schema.get("integer") or schema.get("precision") == 0:
        shape["integer"] = True
    for key in ("prefix", "suffix"):
        if options.get(key):
            shape[key] = str(options[key])
    return shape


def _lengths(schema: dict[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    if whole(schema.get("length")):
        shape["min_length"] = shape["max_length"] = whole(schema["length"])
    if whole(schema.get("min")):
        shape["min_length"] = whole(schema["min"])
    if whole(schema.get("max")):
        shape["max_length"] = whole(schema["max"])
    if shape.get("min_length", 0) > shape.get("max_length", shape.get("min_length", 0)):
        del shape["min_length"]
    pattern = _pattern(schema.get("regex"))
    if pattern:
        shape["pattern"] = pattern
    return shape


def _pattern(regex: Any) -> str | None:
    """A source pattern as this engine reads it: the whole answer must match.

    The source tests a pattern anywhere in the answer (JavaScript's `test`), so an unanchored
    one is wrapped to keep that meaning; one this engine cannot compile is left out.
    """
    text = str(regex or "").strip()
    if len(text) > 2 and text.startswith("/") and text.rfind("/") > 0:
        text = text[1 : text.rfind("/")]
    if not text:
        return None
    if text.startswith("^") and text.endswith("$") and not text.endswith("\\$"):
        text = text[1:-1]
    else:
        text = f".*(?:{text}).*"
    try:
        re.compile(text)
    except re.error:
        return None
    return text
