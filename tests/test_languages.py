"""Localised text in definitions, the message catalogue and Welsh plural forms (no app)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from service_builder.definitions import load_definition
from service_builder.definitions.loader import load_text
from service_builder.lint import lint
from service_builder.messages import TRANSLATIONS, translator
from service_builder.questions import AnswerError, Question

FIXTURE = Path(__file__).parent / "fixtures" / "definitions" / "bilingual.yaml"
PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"

BILINGUAL = """\
id: two-languages
languages: [en, cy]
title:
  en: Report a pothole
  cy: Rhoi gwybod am dwll yn y ffordd
pages:
  - id: where
    title: {en: "Where is it?", cy: "Ble mae e?"}
    questions:
      - id: street
        type: text
        label: {en: Street name, cy: Enw’r stryd}
        hint: Plain English only
      - id: size
        type: radios
        label: {en: "How big is it?"}
        options:
          - {value: small, label: {en: Small, cy: Bach}}
          - {value: big, label: {en: Big, fr: Grand}}
"""


def problems(text: str) -> list[str]:
    return [str(error) for error in load_text(text, "pothole.yaml").errors]


def error_of(question: Question | None, raw: dict[str, object]) -> str:
    assert question is not None
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return caught.value.message


def test_every_missing_translation_is_reported_at_once_with_its_line() -> None:
    assert problems(BILINGUAL) == [
        "pothole.yaml:13: pages[0].questions[0].hint: no 'cy' text",
        "pothole.yaml:16: pages[0].questions[1].label: no 'cy' text",
        "pothole.yaml:19: pages[0].questions[1].options[1].label: "
        "'fr' is not one of the service's languages (en, cy); no 'cy' text",  # both at once
    ]


def test_a_single_language_service_needs_no_mappings_and_languages_must_be_known() -> None:
    plain = BILINGUAL.replace("languages: [en, cy]\n", "")
    assert (
        problems(plain)[0]
        == "pothole.yaml:2: title: 'cy' is not one of the service's languages (en)"
    )
    english_only = "id: english\ntitle: Report it\npages:\n  - id: a\n    questions:\n"
    english_only += "      - {id: a, type: text, label: Your name}\n"
    assert problems(english_only) == []
    unknown = problems(BILINGUAL.replace("[en, cy]", "[en, fr]"))
    assert len(unknown) == 1, unknown  # not also every text, for having 'cy' and not 'fr'
    assert "the engine has no messages in 'fr'" in unknown[0]
    assert "must not repeat" in problems(BILINGUAL.replace("[en, cy]", "[en, en]"))[0]
    three = problems(BILINGUAL.replace("[en, cy]", "[en, cy, fr]"))
    assert len(three) == 3, three  # the unknown one, and the 'cy' texts still missing
    assert "no messages in 'fr'" in three[0]
    assert [p.split(": ", 1)[1] for p in three[1:]] == [
        "pages[0].questions[0].hint: no 'cy' text",
        "pages[0].questions[1].label: no 'cy' text",
    ]


def test_each_language_is_a_copy_with_the_same_ids_and_values() -> None:
    service = load_definition(FIXTURE).service
    assert service is not None
    welsh = service.in_language("cy")
    assert (service.language, welsh.language) == ("en", "cy")
    assert welsh.title == "Dywedwch wrthym am eich anifail anwes"
    assert service.title == "Tell us about your pet"
    assert [q.id for q in welsh.questions] == [q.id for q in service.questions]
    kind = welsh.question("kind")
    assert kind is not None and kind.options[0].value == "cat"  # type: ignore[attr-defined]
    assert kind.options[0].label == "Cath"  # type: ignore[attr-defined]
    assert welsh.in_language("en") is service and service.in_language("fr") is service
    # the engine's own defaults come from the catalogue, in each language
    assert (service.submit_label, welsh.submit_label) == ("Accept and send", "Derbyn ac anfon")
    assert service.start is not None and welsh.start is not None
    assert (service.start.button, welsh.start.button) == ("Start now", "Dechrau nawr")
    yes_no = welsh.question("has_pet")
    assert [o.label for o in yes_no.options] == ["Ie", "Na"]  # type: ignore[union-attr]


def test_a_numbers_unit_is_the_same_in_every_language_or_given_in_each() -> None:
    """`prefix: £` is a symbol, the same in Welsh; a word (`bags`) is given in each language,
    and then must be given in every one."""
    text = BILINGUAL.replace(
        "        hint: Plain English only\n",
        "        hint: {en: Plain English only, cy: Cymraeg clir}\n"
        "      - {id: bags, type: number, label: {en: Bags, cy: Bagiau}, max: 9, prefix: £,\n"
        "         suffix: {en: bags, cy: bagiau}}\n",
    ).replace('{en: "How big is it?"}', '{en: "How big is it?", cy: "Pa mor fawr?"}')
    text = text.replace("{en: Big, fr: Grand}", "{en: Big, cy: Mawr}")
    result = load_text(text, "pothole.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    english, welsh = (
        result.service.question("bags"),
        result.service.in_language("cy").question("bags"),
    )
    assert (english.prefix, english.suffix) == ("£", "bags")  # type: ignore[union-attr]
    assert (welsh.prefix, welsh.suffix) == ("£", "bagiau")  # type: ignore[union-attr]
    assert problems(text.replace("{en: bags, cy: bagiau}", "{en: bags}")) == [
        "pothole.yaml:15: pages[0].questions[1].suffix: no 'cy' text"
    ]


def test_default_messages_use_error_name_in_each_language() -> None:
    service = load_definition(FIXTURE).service
    assert service is not None
    welsh = service.in_language("cy")
    blank = {"born-day": "", "born-month": "", "born-year": ""}
    assert error_of(service.question("born"), blank) == "Enter your date of birth"
    assert error_of(welsh.question("born"), blank) == "Rhowch eich dyddiad geni"
    no_year = {"born-day": "1", "born-month": "2", "born-year": ""}
    assert error_of(service.question("born"), no_year) == "Your date of birth must include a year"
    # Welsh joins 'i' and 'eich' with an apostrophe, never 'Rhaid i eich'
    assert error_of(welsh.question("born"), no_year) == "Rhaid i’ch dyddiad geni gynnwys blwyddyn"
    future = {"born-day": "1", "born-month": "1", "born-year": "2999"}
    assert error_of(welsh.question("born"), future) == (
        "Rhaid i’ch dyddiad geni fod heddiw neu yn y gorffennol"
    )
    assert error_of(service.question("born"), future) == (
        "Your date of birth must be today or in the past"
    )
    assert error_of(welsh.question("has_pet"), {"has_pet": ""}) == (
        "Dewiswch a oes gennych anifail anwes"
    )
    # no error_name, and a Welsh label: the message quotes the question, grammatically
    assert error_of(welsh.question("kind"), {"kind": ""}) == (
        "Dewiswch yr ateb i ‘Pa fath o anifail anwes ydyw?’"
    )
    assert error_of(service.question("kind"), {"kind": ""}) == (
        "Select the answer to ‘What kind of pet is it?’"
    )
    too_long = {"notes": "x" * 21}
    assert (
        error_of(welsh.question("notes"), too_long) == "Rhaid i’ch nodiadau fod yn 20 nod neu lai"
    )


@pytest.mark.parametrize(
    ("label", "required", "subject"),
    [
        ("What type of vehicle is it?", "Select the answer to ‘What type of vehicle is it?’", None),
        ("Which bin was missed?", "Select which bin was missed", None),
        ("What is your full name?", "Select your full name", "Your full name"),
    ],
)
def test_defaults_are_grammatical_without_error_name(
    label: str, required: str, subject: str | None
) -> None:
    from service_builder.questions import QUESTION_TYPES

    radios = QUESTION_TYPES["radios"].model_validate(
        {"id": "q", "type": "radios", "label": label, "options": ["A", "B"]}
    )
    assert error_of(radios, {"q": ""}) == required
    number = QUESTION_TYPES["number"].model_validate({"id": "q", "type": "number", "label": label})
    expected = f"{subject or 'The answer to ‘' + label + '’'} must be a number"
    assert error_of(number, {"q": "twelve"}) == expected
    when = QUESTION_TYPES["date"].model_validate(
        {"id": "q", "type": "date", "label": "When do you want your permit to start?"}
    )
    assert error_of(when, {"q-day": "", "q-month": "", "q-year": ""}) == (
        "Enter the answer to ‘When do you want your permit to start?’"
    )


def test_lint_warns_about_each_question_that_falls_back_in_each_language() -> None:
    service = load_definition(FIXTURE).service
    assert service is not None
    warnings = [(w.where, w.message) for w in lint(service) if "error_name" in w.message]
    assert [where for where, _ in warnings] == [
        "pages[1].questions[0].label",
        "pages[1].questions[0].label",
    ]
    assert "in 'en'" in warnings[0][1] and "in 'cy'" in warnings[1][1]


def test_welsh_has_six_plural_forms_from_the_catalogue() -> None:
    welsh = translator("cy")
    forms = [
        welsh.ngettext("It checked %(num)d page state", "It checked %(num)d page states", n)
        for n in (0, 1, 2, 3, 6, 7)
    ]
    assert forms == [
        "Ni wiriodd unrhyw gyflwr tudalen (0)",
        "Gwiriodd 1 cyflwr tudalen",
        "Gwiriodd 2 gyflwr tudalen",
        "Gwiriodd 3 chyflwr tudalen",
        "Gwiriodd 6 chyflwr tudalen",
        "Gwiriodd 7 cyflwr tudalen",
    ]
    english = translator("en")
    assert english.ngettext(
        "Select at least %(num)s option", "Select at least %(num)s options", 1
    ) == ("Select at least 1 option")
    # GOV.UK Frontend's character count gets one message per Welsh plural category
    categories = welsh.plural_messages(
        "You have %(num)s character remaining", "You have %(num)s characters remaining"
    )
    assert set(categories) == {"zero", "one", "two", "few", "many", "other"}
    assert categories["two"] == "Mae gennych %{count} nod ar ôl"


def test_dates_use_welsh_month_names() -> None:
    import datetime as dt

    assert translator("cy").date(dt.date(2027, 3, 27)) == "27 Mawrth 2027"
    assert translator("en").date(dt.date(2027, 3, 27)) == "27 March 2027"


def test_the_welsh_catalogue_is_complete_and_compiled() -> None:
    with PO.open("rb") as po_file:
        catalogue = read_po(po_file)
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert catalogue.num_plurals == 6
    with (PO.with_suffix(".mo")).open("rb") as mo_file:
        compiled = read_mo(io.BytesIO(mo_file.read()))
    # the committed .mo says what the .po says (run `make translations-compile` if not)
    assert _texts(compiled) == _texts(catalogue)
    with (TRANSLATIONS / "messages.pot").open("rb") as pot_file:
        template = read_po(pot_file)
    assert set(_texts(template)) == set(_texts(catalogue))


def test_no_welsh_text_puts_a_name_after_a_word_that_changes_before_a_vowel() -> None:
    """'â' is 'ag', 'a' is 'ac' and 'na' is 'nac' before a vowel: a name filled in after one
    ('cysylltwch â Aldermoor') is wrong whenever the name starts with a vowel. (Numbers, in
    digits, are written after them as they are.)"""
    with PO.open("rb") as po_file:
        catalogue = read_po(po_file)
    texts = [
        t
        for m in catalogue
        if m.id
        for t in (m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert [t for t in texts if re.search(r"(?<!\w)(â|a|na) %\((?!num|size)", t)] == []


def _texts(catalogue: Any) -> dict[Any, Any]:
    return {
        tuple(m.id) if isinstance(m.id, list | tuple) else m.id: (
            tuple(m.string) if isinstance(m.string, list | tuple) else m.string
        )
        for m in catalogue
        if m.id
    }
