"""Content checks: each warning fires when it should and not otherwise."""

from __future__ import annotations

import textwrap

from service_builder.definitions.loader import load_text
from service_builder.lint import estimated_reading_age, lint

BASE = """\
id: lint-me
title: Lint me
team: testers
pages:
  - id: one
    questions:
{question}
"""


def warnings_for(question: str) -> list[str]:
    text = BASE.format(question=textwrap.indent(textwrap.dedent(question), "      "))
    result = load_text(text, "lint.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    return [f"{w.where}: {w.message}" for w in lint(result.service)]


def test_a_service_without_a_team_is_warned_that_no_caseworker_sees_its_cases() -> None:
    result = load_text(
        "id: no-team\ntitle: No team\npages:\n  - id: one\n    type: content\n    title: Hello\n    body: Hi\n",
        "x.yaml",
    )
    assert result.service is not None
    assert next(w.message for w in lint(result.service)).startswith("no `team`")


def test_a_good_question_has_no_warnings() -> None:
    assert (
        warnings_for("""\
        - id: bin
          type: radios
          label: Which bin was missed?
          options: [Black, Blue]
        """)
        == []
    )


def test_a_page_heading_should_be_a_question() -> None:
    found = warnings_for("- {id: bin, type: radios, label: Bin type, options: [a, b]}")
    assert found == [
        "pages[0].questions[0].label: the only question on a page is its heading: "
        "ask it as a question, ending with '?'",
        "pages[0].questions[0].label: the default error message reads 'Select the bin type': "
        "add `error_name`, a noun phrase such as `your bin type`",
    ]


def test_error_messages_in_govuk_style() -> None:
    found = warnings_for("""\
        - id: bin
          type: radios
          label: Which bin?
          options: [a, b]
          error_messages: {required: "please choose a valid bin!"}
        """)
    assert [w.split(": ", 1)[1].split(":")[0] for w in found] == [
        "error messages avoid 'please'",
        "error messages do not end with a full stop or exclamation mark",
        "start error messages with a capital letter",
    ]


def test_long_hints_and_option_list_sizes() -> None:
    found = warnings_for(f"""\
        - id: pick
          type: radios
          label: Which one?
          hint: {" ".join(["word"] * 40)}
          options: [{", ".join(str(n) for n in range(12))}]
        """)
    assert any("hint is 40 words long" in w for w in found)
    assert any("12 options are a lot" in w for w in found)
    small_select = warnings_for("- {id: s, type: select, label: 'Which?', options: [a, b]}")
    assert any("a select with 2 options" in w for w in small_select)


def test_postcode_questions_must_say_whose_postcode_they_ask_for() -> None:
    found = warnings_for("- {id: near, type: postcode, label: 'What is the nearest postcode?'}")
    assert found == [
        "pages[0].questions[0].autocomplete: say whose postcode this is: `autocomplete: "
        'postal-code` when it is the person\'s own (WCAG 1.3.5), `autocomplete: "off"` when '
        "it is not (a nearest postcode)"
    ]
    for token in ("postal-code", '"off"'):
        question = (
            f"- {{id: p, type: postcode, label: 'What is your postcode?', autocomplete: {token}}}"
        )
        assert warnings_for(question) == []


def test_name_questions_need_autocomplete_and_typed_questions_their_type() -> None:
    assert any(
        "autocomplete: name" in w
        for w in warnings_for("- {id: n, type: text, label: 'What is your full name?'}")
    )
    assert (
        warnings_for(
            "- {id: n, type: text, label: 'What is your full name?', autocomplete: name, "
            "max_length: 100}"
        )
        == []
    )
    assert any(
        "use that question type" in w
        for w in warnings_for("- {id: p, type: text, label: 'What is your phone number?'}")
    )


def test_reading_age() -> None:
    assert estimated_reading_age("Tell us which bin we missed. We will come back.") is None
    simple = "We empty bins every week. Put your bin out by 7am. We will take it away."
    hard = (
        "Notwithstanding the aforementioned considerations, applicants must demonstrate "
        "eligibility through comprehensive documentation substantiating residency."
    )
    assert estimated_reading_age(simple) is not None and estimated_reading_age(simple) <= 9
    assert (estimated_reading_age(hard) or 0) > 16
    found = warnings_for(f"- {{id: q, type: text, label: 'What is it?', hint: \"{hard}\"}}")
    assert any(w.startswith("pages[0].questions[0].hint: reading age is about") for w in found)


def test_the_example_services_are_written_in_plain_govuk_style() -> None:
    from service_builder.catalog import Catalog
    from tests.conftest import EXAMPLES

    catalog = Catalog.load(EXAMPLES)
    for service in catalog.services.values():
        assert [f"{w.where}: {w.message}" for w in lint(service)] == [], service.id


def test_a_repeat_page_should_name_its_item() -> None:
    text = textwrap.dedent(
        """\
        id: cars
        title: Cars
        pages:
          - id: cars
            type: repeat
            title: Your cars
            max_items: 2
            questions:
              - id: registration
                type: text
                label: What is the registration number?
        """
    )
    result = load_text(text, "cars.yaml")
    assert result.service is not None, [str(e) for e in result.errors]
    messages = [w.message for w in lint(result.service)]
    assert any("item_name" in m for m in messages)
    named = load_text(
        text.replace("type: repeat\n", "type: repeat\n    item_name: car\n"), "c.yaml"
    )
    assert named.service is not None
    assert not any("item_name" in w.message for w in lint(named.service))


def test_lookup_messages_on_an_address_that_does_not_look_up_are_warned() -> None:
    question = """\
    - id: home
      type: address
      label: What is your address?
      error_messages:
        lookup_postcode: Enter the postcode of your home
    """
    assert warnings_for(question) == [
        "pages[0].questions[0].error_messages.lookup_postcode: 'lookup_postcode' is only shown "
        "by an address lookup: add `lookup: true`, or remove it"
    ]
    assert (
        warnings_for(
            question.replace("      error_messages:", "      lookup: true\n      error_messages:")
        )
        == []
    )


def determiner_warnings(question: str) -> list[str]:
    return [w for w in warnings_for(question) if "default error message reads" in w]


def test_a_required_question_whose_message_would_lack_a_determiner_is_warned() -> None:
    """'Enter the full name' is a sentence, but GOV.UK would write 'Enter your full name'."""
    assert determiner_warnings("""\
        - id: full_name
          type: text
          label: Full name
          autocomplete: name
        """) == [
        "pages[0].questions[0].label: the default error message reads 'Enter the full name': "
        "add `error_name`, a noun phrase such as `your full name`"
    ]
    assert determiner_warnings("""\
        - id: born
          type: date
          label: Date of birth
        """) == [
        "pages[0].questions[0].label: the default error message reads 'Enter the date of birth': "
        "add `error_name`, a noun phrase such as `your date of birth`"
    ]
    for fine in (
        "error_name: your full name",
        'error_messages: {required: "Enter your full name"}',
        "required: false",
    ):
        question = "- id: full_name\n  type: text\n  label: Full name\n  autocomplete: name\n"
        assert determiner_warnings(question + f"  {fine}\n") == [], fine
    assert (
        determiner_warnings("""\
        - id: full_name
          type: text
          label: Your full name
          autocomplete: name
        """)
        == []
    )


def test_the_bulky_waste_contact_details_say_whose_answer_is_missing() -> None:
    from service_builder.catalog import Catalog
    from tests.conftest import EXAMPLES

    service = Catalog.load(EXAMPLES).services["book-bulky-waste"]
    questions = {q.id: q for q in service.questions}
    assert [questions[q].required_message() for q in ("contact_name", "contact_email")] == [
        "Enter your full name",
        "Enter your email address",
    ]
    assert questions["contact_phone"].required_message() == "Enter your mobile or telephone number"


def test_the_advice_on_quoting_messages_gives_the_engines_words_for_each_type() -> None:
    """Choices say 'Select …', not 'Enter …'; a yes/no question's `error_name` is a clause."""
    assert warnings_for("- {id: pet, type: yes_no, label: 'Do you have a pet?'}\n") == [
        "pages[0].questions[0].label: default error messages quote the question, like "
        "'Select yes or no to answer ‘Do you have a pet?’': add `error_name`, a clause such "
        "as `whether you have a pet`"
    ]
    for type_, more in (("radios", "options: [a, b]"), ("checkboxes", "options: [a, b]")):
        found = warnings_for(
            f"- {{id: kind, type: {type_}, label: 'What type of vehicle is it?', {more}}}\n"
        )
        assert found == [
            "pages[0].questions[0].label: default error messages quote the question, like "
            "'Select the answer to ‘What type of vehicle is it?’': add `error_name`, a noun "
            "phrase such as `the type of vehicle`"
        ], type_
    assert warnings_for("- {id: size, type: number, label: 'How big is it?', max: 9}\n")[-1] == (
        "pages[0].questions[0].label: default error messages quote the question, like "
        "'Enter the answer to ‘How big is it?’': add `error_name`, a noun phrase such as "
        "`the number of vehicles`"  # one that fits a number, as 'Tell us more' gets one
    )
    told = warnings_for("- {id: more, type: textarea, label: 'Tell us more'}\n")
    assert told[-1].endswith("a noun phrase such as `details of the problem`"), told


def test_a_notify_template_id_that_is_not_a_uuid_is_warned_of_not_refused() -> None:
    text = BASE.format(question="      - {id: email, type: email, label: Email address}") + (
        "notify:\n  email_question: email\n  confirmation_template: 4f1c…\n"
        "  status_template: F33517FF-2A88-4F6E-B855-C550268CE08A\n"
    )
    result = load_text(text, "lint.yaml")
    assert result.service is not None  # the contract's placeholder is accepted as written
    warned = [f"{w.where}: {w.message}" for w in lint(result.service)]
    assert [w for w in warned if "template" in w] == [
        "notify.confirmation_template: '4f1c…' is not a GOV.UK Notify template id (a UUID "
        "such as 'f33517ff-2a88-4f6e-b855-c550268ce08a'): Notify will refuse these emails"
    ]


def test_a_text_without_a_limit_is_warned_that_it_takes_10000_characters() -> None:
    unbounded = "pages[0].questions[0]: a {} question without `max_length` accepts up to 10,000"
    found = warnings_for("- {id: n, type: text, label: 'What is the fault?'}")
    assert [w for w in found if w.startswith(unbounded.format("text"))]
    found = warnings_for("- {id: n, type: textarea, label: 'What is the fault?'}")
    assert [w for w in found if "shows a character count" in w]
    for limit in ("max_length: 200", "pattern: '^[0-9]{4}$'"):
        assert warnings_for(f"- {{id: n, type: text, label: 'What is the fault?', {limit}}}") == []
    for unbounded in ("'^.*$'", "'^[A-Z]+$'", "'^[0-9]{4,}$'"):  # a pattern of any length
        found = warnings_for(f"- {{id: n, type: text, label: 'What?', pattern: {unbounded}}}")
        assert [w for w in found if "without `max_length`" in w], unbounded
    assert (
        warnings_for("- {id: n, type: textarea, label: 'What is the fault?', max_words: 50}") == []
    )


def test_a_plural_suffix_without_its_word_for_one_is_warned_about() -> None:
    """A designer's trial: a bag count showed '1 bags' on check your answers."""
    bags = "- {{id: n, type: number, label: 'How many bags?', error_name: the bags, max: 50, {}}}"
    assert warnings_for(bags.format("suffix: bags")) == [
        "pages[0].questions[0].suffix: an answer of 1 would read '1 bags': give the word for "
        "one as `suffix_one`"
    ]
    for fine in ("suffix: bags, suffix_one: bag", "suffix: bags, min: 2", "suffix: kg"):
        assert warnings_for(bags.format(fine)) == [], fine
    assert warnings_for(bags.format("suffix: glass")) == []  # not a plural


NEVER_SHOWN = """\
id: blue-badge
title: Apply for a Blue Badge
team: testers
pages:
  - id: points
    questions:
      - {id: pip_points, type: number, label: "How many PIP points do you have?", min: 0, max: 12}
    next:
      - when: {pip_points: {gte: 8}}
        goto: photo
      - goto: walking
  - id: walking
    questions:
      - {id: distance, type: number, label: "How far can you walk?", suffix: metres}
  - id: many-points
    show_when: {pip_points: {gte: 8}}
    type: content
    title: You may get a badge without an assessment
    body: We will check your PIP award with the Department for Work and Pensions.
  - id: photo
    questions:
      - {id: name, type: text, label: "Your full name", autocomplete: name}
"""


def test_a_page_no_route_shows_is_warned_about_with_its_condition() -> None:
    result = load_text(NEVER_SHOWN, "badge.yaml")
    assert result.errors == []  # every page is reached by some route as written
    assert result.service is not None
    found = [f"{w.where}: {w.message}" for w in lint(result.service) if "no route" in w.message]
    assert found == [
        "pages[2]: no route the preview walks shows page 'many-points' (it tries answers of "
        "each kind the conditions compare): check that its show_when (pip_points is at least 8) "
        "can hold on a route to it"
    ]
    shown = load_text(
        NEVER_SHOWN.replace("gte: 8}}\n        goto", "gte: 11}}\n        goto"), "b.yaml"
    )
    assert shown.service is not None
    assert [w for w in lint(shown.service) if "no route" in w.message] == []


def test_a_width_on_an_address_is_warned_that_it_does_nothing() -> None:
    assert warnings_for(
        """\
    - id: where
      type: address
      label: Where is the rubbish?
      autocomplete: "off"
      width: 20
    """
    ) == [
        "pages[0].questions[0].width: an address question sets its own widths (each field its "
        "own): `width` does nothing"
    ]
