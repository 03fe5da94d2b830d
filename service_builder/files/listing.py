"""The files a submission holds, named by their questions, for the case page and downloads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service_builder.definitions.schema import Service
from service_builder.questions.files import human_size, is_file_answer


@dataclass(frozen=True)
class HeldFile:
    question_id: str
    label: str
    """The question's label, or its id when the service's definition is gone."""
    answer: Mapping[str, Any]

    @property
    def file_id(self) -> str:
        return str(self.answer["file_id"])

    @property
    def filename(self) -> str:
        return str(self.answer["filename"])

    @property
    def size(self) -> str:
        return human_size(int(self.answer["size"]))


def held_files(service: Service | None, answers: Mapping[str, Any]) -> list[HeldFile]:
    """Each file answer, in the order of the answers (definition order)."""
    found = []
    for question_id, value in answers.items():
        if is_file_answer(value):
            question = service.question(question_id) if service else None
            label = question.label if question else question_id
            found.append(HeldFile(question_id, label, value))
    return found


def find_file(service: Service | None, answers: Mapping[str, Any], file_id: str) -> HeldFile | None:
    return next((f for f in held_files(service, answers) if f.file_id == file_id), None)
