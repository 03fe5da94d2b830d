"""The question-type registry: one class per `type`, each owning its keys and behaviour."""

from typing import Annotated

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
}

AnyQuestion = Annotated[
    TextQuestion
    | TextareaQuestion
    | NumberQuestion
    | EmailQuestion
    | PhoneQuestion
    | DateQuestion
    | RadiosQuestion
    | CheckboxesQuestion
    | SelectQuestion
    | YesNoQuestion
    | PostcodeQuestion
    | AddressQuestion,
    Field(discriminator="type"),
]

__all__ = [
    "QUESTION_TYPES",
    "AnswerError",
    "AnyQuestion",
    "ChoiceQuestion",
    "Option",
    "Question",
    "Raw",
]
