"""DEFRA forms-engine-plugin definitions, V1 and V2 (`engine: V2`), with Welsh from
`metadata.translations`.

V1 is XGov's format with more component types; V2 adds ids, routes by page order and page
conditions, and writes conditions as `items` with a `coordinator`.
"""

from __future__ import annotations

from typing import Any

from service_builder.importers.markdown import plain
from service_builder.importers.writer import CHECK_ANSWERS, Txt, whole
from service_builder.importers.xgov import (
    MAX_REPEAT,
    Condition,
    Untranslatable,
    XGovReader,
    id_from_text,
)

GRID_FIELDS: dict[str, tuple[str, str, str]] = {
    "OsGridRefField": (
        r"[A-Za-z]{2} ?[0-9]{2,5} ?[0-9]{2,5}",
        "Enter an OS grid reference, like TQ 30259 80354",
        "An Ordnance Survey grid reference, like TQ 30259 80354",
    ),
    "NationalGridFieldNumberField": (
        r"[A-Za-z]{2} ?[0-9]{4} ?[0-9]{4}",
        "Enter a National Grid field number, like NG 1234 5678",
        "Two letters and 8 digits, like NG 1234 5678",
    ),
    "EastingNorthingField": (
        r"[0-9]{1,6}, ?[0-9]{1,7}",
        "Enter the easting and northing, like 530259, 180354",
        "The easting, a comma, then the northing, like 530259, 180354",
    ),
    "LatLongField": (
        r"-?[0-9]{1,2}(\.[0-9]+)?, ?-?[0-9]{1,3}(\.[0-9]+)?",
        "Enter the latitude and longitude, like 51.5074, -0.1278",
        "The latitude, a comma, then the longitude, like 51.5074, -0.1278",
    ),
}
V2_VALUE_TYPES = {"StringValue", "NumberValue", "BooleanValue", "DateValue", "ListItemRef"}


class DefraReader(XGovReader):
    platform = "defra"
    repeat_controller = "RepeatPageController"

    def __init__(self, data: dict[str, Any], file_stem: str) -> None:
        translations = (data.get("metadata") or {}).get("translations") or {}
        self.welsh: dict[str, str] = {
            str(english).strip(): str(welsh)
            for english, welsh in (translations.get("cy") or {}).items()
        }
        super().__init__(data, file_stem)
        self.v2 = str(data.get("engine") or "").upper() == "V2" or data.get("schema") == 2

    # -- Welsh from metadata.translations --------------------------------------------------

    def txt(self, value: Any) -> Txt | None:
        text = super().txt(value)
        return self._welsh(text, value)

    def markdown(self, value: Any, html: bool) -> Txt | None:
        return self._welsh(super().markdown(value, html), value)

    def _welsh(self, text: Txt | None, source: Any) -> Txt | None:
        if text is None or text.cy is not None or not self.welsh:
            return text
        key = str(source).strip() if isinstance(source, str) else text.en
        welsh = self.welsh.get(key) or self.welsh.get(text.en)
        return Txt(text.en, plain(welsh) if welsh else None) if welsh else text

    # -- V2 routes by page order and page conditions ---------------------------------------

    def links(
        self, pages: list[dict[str, Any]], by_path: dict[str, Any], summary: set[str]
    ) -> dict[str, list[str]]:
        if not self.v2:
            return super().links(pages, by_path, summary)
        paths = list(by_path)
        # A V2 exit page with a condition is skipped when it does not hold: keep the chain.
        return {path: paths[index + 1 : index + 2] for index, path in enumerate(paths)}

    def is_exit(self, page: dict[str, Any]) -> bool:
        if self.v2:
            return "Terminal" in str(page.get("controller") or "")
        return super().is_exit(page)

    def route(
        self,
        page: dict[str, Any],
        made: dict[str, Any],
        page_id: dict[str, str],
        position: int,
        order: list[str],
    ) -> None:
        if not self.v2:
            super().route(page, made, page_id, position, order)
            return
        where = f"pages[{(self.data.get('pages') or []).index(page)}]"
        if page.get("condition") and made.get("type") == "exit":
            self.exit_route(page, made, where, position, order, page_id)
        elif page.get("condition"):
            when = self.condition(str(page["condition"]), f"{where}.condition", before=position)
            if when:
                made["show_when"] = when
        if page.get("next"):
            self.notes.add(f"{where}.next", "V2 forms go in page order: 'next' is not used")

    def exit_route(
        self,
        page: dict[str, Any],
        made: dict[str, Any],
        where: str,
        position: int,
        order: list[str],
        page_id: dict[str, str],
    ) -> None:
        """A V2 exit page shown under a condition: the page before it routes there when it holds.

        (Here an exit page is reached by a route, never skipped by `show_when`.)
        """
        before = position - 1
        while before >= 0 and self.pages_made[before].get("type") == "exit":
            before -= 1
        when = self.condition(str(page["condition"]), f"{where}.condition", before=before + 1)
        if before < 0 or when is None:
            return
        after = page_id[order[position + 1]] if position + 1 < len(order) else CHECK_ANSWERS
        rules = [r for r in self.pages_made[before].get("next") or [] if "when" in r]
        self.pages_made[before]["next"] = [
            *rules,
            {"when": when, "goto": made["id"]},
            {"goto": after},
        ]

    def translate(self, source: dict[str, Any], before: int, seen: set[str]) -> Condition:
        if "items" not in source:
            return super().translate(source, before, seen)
        seen = seen | {str(source.get("id"))}
        parts = []
        for item in source.get("items") or []:
            if "conditionId" in item:
                named = self.conditions.get(item["conditionId"])
                if named is None or item["conditionId"] in seen:
                    raise Untranslatable("a condition it refers to is missing or circular")
                parts.append(self.translate(named, before, seen))
                continue
            question = self.questions.get(str(item.get("componentId")))
            if item.get("type") == "RelativeDate":
                raise Untranslatable("dates relative to today have no equivalent")
            if item.get("type") not in V2_VALUE_TYPES:
                raise Untranslatable(f"a value of type '{item.get('type')}'")
            value = item.get("value")
            if item.get("type") == "ListItemRef":
                value = self.list_items.get(str((value or {}).get("itemId")))
            name = next((k for k, q in self.questions.items() if q is question), "")
            parts.append(self.compare(name, str(item.get("operator")), value, before))
        if not parts:
            raise Untranslatable("it is empty")
        if len(parts) == 1:
            return parts[0]
        return {"any" if str(source.get("coordinator")).lower() == "or" else "all": parts}

    # -- DEFRA's own component types -------------------------------------------------------

    def other_shape(
        self, kind: str, component: dict[str, Any], where: str
    ) -> dict[str, Any] | None:
        if kind == "MonthYearField":
            return {
                "type": "text",
                "pattern": r"(0?[1-9]|1[0-2])/[0-9]{4}",
                "pattern_message": "Enter a month and year, like 03/2024",
                "width": 10,
            }
        if kind in GRID_FIELDS:
            pattern, message, hint = GRID_FIELDS[kind]
            component.setdefault("hint", hint)
            return {"type": "text", "pattern": pattern, "pattern_message": message, "width": 20}
        if kind == "DeclarationField":
            return {
                "type": "checkboxes",
                "options": [{"value": "confirmed", "label": Txt("I understand and agree")}],
            }
        if kind == "GeospatialField":
            self.notes.add(where, "drawing on a map has no equivalent question type")
            return None
        if kind == "PaymentField":
            self.notes.add(where, "a payment: for the payments feature")
            return None
        return super().other_shape(kind, component, where)

    def make_page(
        self, page: dict[str, Any], where: str, page_id: str, position: int
    ) -> dict[str, Any]:
        made = super().make_page(page, where, page_id, position)
        for component in page.get("components") or []:
            if component.get("type") == "DeclarationField" and component.get("content"):
                declaration = self.markdown(component["content"], html=False)
                if declaration:
                    made["body"] = declaration
                    made.setdefault("title", self.txt(page.get("title")) or made["id"])
        return made

    def repeat(
        self, page: dict[str, Any], where: str, questions: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        if page.get("controller") != self.repeat_controller:
            return None
        settings = page.get("repeat") or {}
        limits = settings.get("schema") or {}
        name = (settings.get("options") or {}).get("title") or id_from_text(
            questions[0]["label"].en, "item"
        ).replace("_", " ")
        most = whole(limits.get("max")) or 10
        if most > MAX_REPEAT:
            self.notes.add(
                f"{where}.repeat.schema.max", f"at most {MAX_REPEAT} items here: max_items is 50"
            )
        item_name = self.txt(name) or Txt("item")
        lower = item_name.en[:1].lower() + item_name.en[1:]
        welsh = item_name.cy or self.welsh.get(lower)
        return {
            "type": "repeat",
            "title": self.txt(page.get("title")) or questions[0]["label"],
            "item_name": Txt(lower, welsh[:1].lower() + welsh[1:] if welsh else None),
            "min_items": min(whole(limits.get("min")) or 1, min(most, MAX_REPEAT)),
            "max_items": min(most, MAX_REPEAT),
        }

    def service_extras(self, service: dict[str, Any], pages: list[dict[str, Any]]) -> None:
        super().service_extras(service, pages)
        if self.data.get("outputEmail"):
            self.notes.add(
                "outputEmail",
                "submissions emailed to the team: set notify.team_email and team_template",
            )
        for page_index, page in enumerate(pages):
            if self.is_summary(page):
                for index, component in enumerate(page.get("components") or []):
                    if component.get("type") in ("Html", "Markdown", "Para"):
                        self.notes.add(
                            f"pages[{page_index}].components[{index}]",
                            "content on the summary page: use 'declaration'",
                        )
