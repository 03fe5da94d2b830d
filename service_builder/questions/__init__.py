"""The question-type registry: one class per `type`, each owning its keys and behaviour."""

from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field

from service_builder.questions.base import AnswerError, Question, Raw
from service_builder.questions.choices import (
    CheckboxesQuestion,
    ChoiceQuestion,
    Option,
    RadiosQuestion,
    SelectQuestion,
    YesNoQuestion,
)
from service_builder.questions.composite import AddressQuestion, DateQuestion
from service_builder.questions.files import FileQuestion
from service_builder.questions.inputs import (
    EmailQuestion,
    NumberQuestion,
    PhoneQuestion,
    PostcodeQuestion,
    TextareaQuestion,
    TextQuestion,
)

QUESTION_TYPES: dict[str, type[Question]] = {
    "text": TextQuestion,
    "textarea": TextareaQuestion,
    "number": NumberQuestion,
    "email": EmailQuestion,
    "phone": PhoneQuestion,
    "date": DateQuestion,
    "radios": RadiosQuestion,
    "checkboxes": CheckboxesQuestion,
    "select": SelectQuestion,
    "yes_no": YesNoQuestion,
    "postcode": PostcodeQuestion,
    "address": AddressQuestion,
    "file": FileQuestion,
}

if TYPE_CHECKING:
    AnyQuestion = Question
else:
    # the pydantic union of every registered type, told apart by `type`: derived from the
    # registry, so a new type is registered in one place
    AnyQuestion = Annotated[Union[tuple(QUESTION_TYPES.values())], Field(discriminator="type")]  # noqa: UP007

__all__ = [
    "QUESTION_TYPES",
    "AnswerError",
    "AnyQuestion",
    "ChoiceQuestion",
    "Option",
    "Question",
    "Raw",
]
