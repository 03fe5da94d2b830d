"""GOV.UK Forms form documents (what forms-runner reads): `steps`, `routing_conditions`, Welsh.

One question per step. Welsh comes from `available_languages` with `…_cy` fields beside the
English ones, or from a Welsh document of the same form (`FILE.cy.json`) with the same step ids.
"""

from __future__ import annotations

from typing import Any

from service_builder.importers.markdown import plain, safe_markdown
from service_builder.importers.routing import route_order
from service_builder.importers.writer import (
    CHECK_ANSWERS,
    FILE_REPEATED,
    IdMaker,
    Imported,
    Notes,
    Txt,
    drop_pages,
    finalise,
    id_from_text,
    page_ids,
    service_id,
    slug,
)

NINO_PATTERN = r"[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]"
NONE_OF_THE_ABOVE = "None of the above"
MAX_ANSWERS = 50
"""GOV.UK Forms lets a person add a repeatable answer up to 50 times."""
SELECT_FROM = 31
"""GOV.UK Forms shows one-choice lists of more than 30 options as a select with autocomplete."""
FIXED_SHAPES: dict[str, dict[str, Any]] = {
    "organisation_name": {"autocomplete": "organization"},
    "email": {"type": "email"},
    "phone_number": {"type": "phone"},
    "number": {"type": "number"},
    "file": {"type": "file"},  # the engine's default types and size limit
    "national_insurance_number": {
        "pattern": NINO_PATTERN,
        "pattern_message": "Enter a National Insurance number in the correct format, "
        "like QQ 12 34 56 C",
        "width": 10,
        "spellcheck": False,
    },
}
NAME_PARTS = {
    "full_name": [("full_name", "Full name", "name", True)],
    "first_and_last_name": [
        ("first_name", "First name", "given-name", True),
        ("last_name", "Last name", "family-name", True),
    ],
    "first_middle_and_last_name": [
        ("first_name", "First name", "given-name", True),
        ("middle_names", "Middle names", "additional-name", False),
        ("last_name", "Last name", "family-name", True),
    ],
}


class GovukFormsReader:
    platform = "govuk-forms"

    def __init__(
        self, data: dict[str, Any], file_stem: str, welsh: dict[str, Any] | None = None
    ) -> None:
        self.data = data
        self.file_stem = file_stem
        self.notes = Notes()
        self.welsh_steps = {str(s.get("id")): s for s in (welsh or {}).get("steps") or []}
        self.welsh_form = welsh or {}
        self.bilingual = "cy" in (data.get("available_languages") or [])
        self.question_ids = IdMaker("_")
        self.answers: dict[str, dict[str, Any]] = {}
        """Step id -> the question whose answer routing conditions check."""

    def txt(self, english: Any, owner: dict[str, Any], key: str, welsh: Any = None) -> Txt | None:
        text = plain(str(english or ""))
        if not text:
            return None
        return Txt(text, self._cy(owner, key, welsh, plain))

    def md(self, english: Any, owner: dict[str, Any], key: str, welsh: Any = None) -> Txt | None:
        text = safe_markdown(str(english or ""))
        if not text:
            return None
        return Txt(text, self._cy(owner, key, welsh, safe_markdown))

    def _cy(self, owner: dict[str, Any], key: str, welsh: Any, convert: Any) -> str | None:
        if not self.bilingual:
            return None
        value = owner.get(f"{key}_cy") or (welsh or {}).get(key)
        return convert(str(value)) if value else None

    # -- the whole form --------------------------------------------------------------------

    def read(self) -> Imported:
        form = self.data
        steps = {
            str(step.get("id")): step for step in form.get("steps") or [] if isinstance(step, dict)
        }
        first = str(form.get("start_page") or next(iter(steps), ""))
        exits: dict[str, dict[str, Any]] = {}
        links = {key: self.targets(step, steps, exits) for key, step in steps.items()}
        links.update({key: [] for key in exits})
        # An exit page sits just after the question that leads to it.
        source_order = [
            key
            for step_key in steps
            for key in [step_key, *(k for k in exits if k in links[step_key])]
        ]
        order = route_order(first, links, source_order)
        for key, _step in steps.items():
            if key not in order:
                self.notes.add(
                    f"steps[{list(steps).index(key)}]", "no route from the start page reaches it"
                )
        ids = page_ids()
        page_id: dict[str, str] = {}
        for key in order:
            source = exits.get(key) or steps[key].get("data") or {}
            text = source.get("exit_page_heading") or source.get("question_text") or "page"
            page_id[key] = ids.make(slug(id_from_text(str(text), "page"), "page"))
        pages = []
        for key in order:
            if key in exits:
                pages.append(self.exit_page(exits[key], page_id[key]))
            else:
                where = f"steps[{list(steps).index(key)}]"
                pages.append(self.page(steps[key], where, page_id[key]))
        for position, key in enumerate(order):
            if key not in exits:
                where = f"steps[{list(steps).index(key)}]"
                self.route(steps[key], pages[position], where, page_id, order, position, exits)
        where_of = {page_id[k]: f"steps[{list(steps).index(k)}]" for k in order if k in steps}
        drop_pages(pages, self.notes, where_of)
        welsh = self.welsh_form
        service: dict[str, Any] = {
            "id": service_id(
                str(form.get("form_slug") or ""), str(form.get("name") or ""), self.file_stem
            ),
            "title": self.txt(form.get("name"), form, "name", welsh)
            or Txt(self.file_stem.replace("-", " ").capitalize()),
            "pages": pages,
        }
        declaration = self.md(form.get("declaration_text"), form, "declaration_text", welsh)
        if declaration:
            service["declaration"] = declaration
        after = self.md(
            form.get("what_happens_next_markdown"), form, "what_happens_next_markdown", welsh
        )
        if after:
            service["confirmation"] = {
                "title": Txt("Form submitted", "Ffurflen wedi’i chyflwyno")
                if self.bilingual
                else Txt("Form submitted"),
                "body": after,
            }
        if form.get("privacy_policy_url"):
            service["privacy_url"] = str(form["privacy_policy_url"])
        self.form_notes(form)
        return Imported(finalise(service, self.notes), self.notes.items)

    def form_notes(self, form: dict[str, Any]) -> None:
        if form.get("payment_url"):
            self.notes.add("payment_url", "a GOV.UK Pay payment link: for the payments feature")
        if form.get("submission_email"):
            self.notes.add(
                "submission_email",
                "answers emailed to the team: set notify.team_email and team_template",
            )
        if any(form.get(k) for k in ("support_email", "support_phone", "support_url")):
            self.notes.add(
                "support_email",
                "contact details for help: the site's contact page gives them here",
            )
        for language in form.get("available_languages") or []:
            if language not in ("en", "cy"):
                self.notes.add("available_languages", f"'{language}': only en and cy here")

    # -- steps -----------------------------------------------------------------------------

    def targets(
        self, step: dict[str, Any], steps: dict[str, Any], exits: dict[str, dict[str, Any]]
    ) -> list[str]:
        found = []
        for condition in self.conditions_of(step):
            if condition.get("exit_page_heading") or condition.get("exit_page_markdown"):
                key = f"exit-{condition.get('id')}"
                exits[key] = condition
                found.append(key)
            elif condition.get("goto_page_id") is not None:
                found.append(str(condition["goto_page_id"]))
        following = step.get("next_step_id")
        if following is not None and not self.secondary_skip(step):
            found.append(str(following))
        return [key for key in found if key in steps or key in exits]

    def conditions_of(self, step: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            c
            for c in step.get("routing_conditions") or []
            if str(c.get("routing_page_id", step.get("id"))) == str(step.get("id"))
        ]

    def secondary_skip(self, step: dict[str, Any]) -> dict[str, Any] | None:
        """A condition without an answer: after this page (the end of one branch), jump on."""
        for condition in self.conditions_of(step):
            if condition.get("answer_value") is None and (
                condition.get("goto_page_id") is not None or condition.get("skip_to_end")
            ):
                return condition
        return None

    def exit_page(self, condition: dict[str, Any], page_id: str) -> dict[str, Any]:
        title = self.txt(condition.get("exit_page_heading"), condition, "exit_page_heading")
        body = self.md(condition.get("exit_page_markdown"), condition, "exit_page_markdown")
        return {
            "id": page_id,
            "type": "exit",
            "title": title or Txt("You cannot continue"),
            "body": body or title or Txt("You cannot continue"),
        }

    def page(self, step: dict[str, Any], where: str, page_id: str) -> dict[str, Any]:
        data = step.get("data") or {}
        welsh = (self.welsh_steps.get(str(step.get("id"))) or {}).get("data") or {}
        if step.get("type") not in (None, "question_page"):
            self.notes.add(where, f"a step of type '{step.get('type')}': read as a question")
        label = self.txt(data.get("question_text"), data, "question_text", welsh) or Txt(page_id)
        questions = self.questions(data, welsh, label, f"{where}.data")
        page: dict[str, Any] = {"id": page_id}
        heading = self.txt(data.get("page_heading"), data, "page_heading", welsh)
        guidance = self.md(data.get("guidance_markdown"), data, "guidance_markdown", welsh)
        if data.get("is_repeatable") and data.get("answer_type") == "file":
            self.notes.add(f"{where}.data.is_repeatable", FILE_REPEATED)
        elif data.get("is_repeatable"):
            page.update(
                type="repeat",
                title=heading or label,
                # GOV.UK Forms itself says "answer": "Do you need to add another answer?"
                item_name=Txt("answer", "ateb" if self.bilingual else None),
                max_items=MAX_ANSWERS,
            )
        if heading:
            page["title"] = heading
        elif len(questions) > 1 or guidance:
            page["title"] = label
        if guidance:
            page["body"] = guidance
        page["questions"] = questions
        self.answers[str(step.get("id"))] = questions[-1]
        return page

    def questions(
        self, data: dict[str, Any], welsh: dict[str, Any], label: Txt, where: str
    ) -> list[dict[str, Any]]:
        kind = str(data.get("answer_type"))
        settings = data.get("answer_settings") or {}
        hint = self.txt(data.get("hint_text"), data, "hint_text", welsh)
        optional = bool(data.get("is_optional"))
        if kind == "name":
            return self.name_questions(settings, label, hint, optional)
        question: dict[str, Any] = {
            "id": self.question_ids.make(id_from_text(label.en, "answer")),
            "type": "text",
            "label": label,
        }
        if hint:
            question["hint"] = hint
        if optional and kind != "selection":
            question["required"] = False
        question.update(self.shape(kind, settings, data, welsh, optional, where))
        return [question]

    def name_questions(
        self, settings: dict[str, Any], label: Txt, hint: Txt | None, optional: bool
    ) -> list[dict[str, Any]]:
        parts = list(NAME_PARTS.get(str(settings.get("input_type")), NAME_PARTS["full_name"]))
        if str(settings.get("title_needed")).lower() in ("true", "1"):
            parts.insert(0, ("title", "Title", "honorific-prefix", False))
        made = []
        for wanted, text, token, required in parts:
            question: dict[str, Any] = {
                "id": self.question_ids.make(wanted),
                "type": "text",
                "label": label if len(parts) == 1 else Txt(text, self.welsh_name(text)),
                "autocomplete": token,
            }
            if hint and len(parts) == 1:
                question["hint"] = hint
            if optional or not required:
                question["required"] = False
            made.append(question)
        return made

    def welsh_name(self, text: str) -> str | None:
        if not self.bilingual:
            return None
        return {
            "Title": "Teitl",
            "First name": "Enw cyntaf",
            "Middle names": "Enwau canol",
            "Last name": "Cyfenw",
            "Full name": "Enw llawn",
        }.get(text)

    def shape(
        self,
        kind: str,
        settings: dict[str, Any],
        data: dict[str, Any],
        welsh: dict[str, Any],
        optional: bool,
        where: str,
    ) -> dict[str, Any]:
        input_type = settings.get("input_type")
        if kind in FIXED_SHAPES:
            return dict(FIXED_SHAPES[kind])
        if kind == "address":
            international = isinstance(input_type, dict) and str(
                input_type.get("international_address")
            ).lower() in ("true", "1")
            if international:
                self.notes.add(
                    f"{where}.answer_settings.input_type",
                    "international addresses have no equivalent: asked as multi-line text",
                )
                return {"type": "textarea", "rows": 5}
            return {"type": "address"}
        if kind == "date":
            return (
                {"type": "date", "not_after": "today"}
                if input_type == "date_of_birth"
                else {"type": "date"}
            )
        if kind == "text":
            if input_type == "long_text":
                return {"type": "textarea", "max_length": 4999}
            return {"max_length": 499}
        if kind == "selection":
            return self.selection(settings, data, welsh, optional)
        self.notes.add(f"{where}.answer_type", f"'{kind}' has no equivalent: asked as text")
        return {}

    def selection(
        self, settings: dict[str, Any], data: dict[str, Any], welsh: dict[str, Any], optional: bool
    ) -> dict[str, Any]:
        welsh_options = (welsh.get("answer_settings") or {}).get("selection_options") or []
        options = []
        values = IdMaker("_")
        for index, option in enumerate(settings.get("selection_options") or []):
            name = str(option.get("name") or option.get("value") or "")
            cy = option.get("name_cy") or (
                welsh_options[index].get("name") if index < len(welsh_options) else None
            )
            options.append(
                {
                    "value": values.make(slug(name, "option").replace("-", "_")),
                    "label": Txt(plain(name), plain(str(cy)) if cy and self.bilingual else None),
                    "source": name,
                }
            )
        if not options:
            return {}  # no options given: asked as text, as the source cannot be answered
        one = str(settings.get("only_one_option")).lower() in ("true", "1")
        kind = "radios" if one else "checkboxes"
        if one and len(options) >= SELECT_FROM and not optional:
            kind = "select"
        shape: dict[str, Any] = {"type": kind, "options": options}
        if optional:
            label = Txt(NONE_OF_THE_ABOVE, "Dim un o’r uchod" if self.bilingual else None)
            options.append(
                {"value": values.make("none"), "label": label, "source": NONE_OF_THE_ABOVE}
            )
            if kind == "checkboxes":
                shape["exclusive"] = options[-1]["value"]
        return shape

    # -- routing ---------------------------------------------------------------------------

    def route(
        self,
        step: dict[str, Any],
        page: dict[str, Any],
        where: str,
        page_id: dict[str, str],
        order: list[str],
        position: int,
        exits: dict[str, dict[str, Any]],
    ) -> None:
        rules: list[dict[str, Any]] = []
        question = self.answers.get(str(step.get("id")))
        for index, condition in enumerate(step.get("routing_conditions") or []):
            if condition.get("answer_value") is None:
                continue
            target = self.target(condition, page_id, exits)
            when = self.when(condition, question, f"{where}.routing_conditions[{index}]")
            if target and when:
                rules.append({"when": when, "goto": target})
        skip = self.secondary_skip(step)
        if skip:
            default = self.target(skip, page_id, exits) or CHECK_ANSWERS
        else:
            following = step.get("next_step_id")
            default = page_id.get(str(following), CHECK_ANSWERS) if following else CHECK_ANSWERS
        natural = page_id[order[position + 1]] if position + 1 < len(order) else CHECK_ANSWERS
        if rules or default != natural:
            page["next"] = [*rules, {"goto": default}]
        for option in (question or {}).get("options") or []:
            option.pop("source", None)

    def target(
        self, condition: dict[str, Any], page_id: dict[str, str], exits: dict[str, Any]
    ) -> str | None:
        if condition.get("skip_to_end"):
            return CHECK_ANSWERS
        exit_key = f"exit-{condition.get('id')}"
        if exit_key in exits:
            return page_id.get(exit_key)
        return page_id.get(str(condition.get("goto_page_id")))

    def when(
        self, condition: dict[str, Any], question: dict[str, Any] | None, where: str
    ) -> dict[str, Any] | None:
        if question is None or question.get("type") not in ("radios", "select", "checkboxes"):
            self.notes.add(where, "a route on an answer that is not a choice: not imported")
            return None
        if str(condition.get("check_page_id", condition.get("routing_page_id"))) != str(
            condition.get("routing_page_id")
        ):
            self.notes.add(where, "a route that checks another page's answer: not imported")
            return None
        wanted = str(condition.get("answer_value"))
        for option in question["options"]:
            if option.get("source") == wanted:
                if question["type"] == "checkboxes":
                    return {question["id"]: {"contains": option["value"]}}
                return {question["id"]: option["value"]}
        self.notes.add(where, f"'{wanted}' is not one of the question's options")
        return None
