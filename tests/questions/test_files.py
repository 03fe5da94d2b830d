"""The file question on its own: keys, type by content, size while reading, words, Welsh."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pydantic import ValidationError

from service_builder.questions import AnswerError
from service_builder.questions.files import (
    CHUNK,
    EXAMPLE_EXE,
    EXAMPLE_JPG,
    EXAMPLE_PDF,
    EXAMPLE_PNG,
    MEGABYTE,
    ExampleFile,
    FileQuestion,
    file_ids,
    human_size,
    is_file_answer,
    safe_filename,
)


def make(language: str = "en", **keys: Any) -> FileQuestion:
    data = {"id": "proof", "type": "file", "label": "Upload your evidence", **keys}
    return FileQuestion.model_validate(data, context={"language": language})


def refusal(question: FileQuestion, name: str, content: bytes) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        question.clean({"proof": ExampleFile(name, content)})
    return caught.value


def test_defaults_and_limits() -> None:
    question = make()
    assert question.accept == ["pdf", "jpg", "jpeg", "png"] and question.max_size_mb == 10
    assert make(max_size_mb=50).max_bytes == 50 * MEGABYTE
    for bad in ({"max_size_mb": 51}, {"max_size_mb": 0}, {"accept": ["exe"]}, {"accept": []}):
        with pytest.raises(ValidationError):
            make(**bad)
    with pytest.raises(ValidationError):
        make(accept=["png", "png"])


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.pdf", EXAMPLE_PDF, "application/pdf"),
        ("photo.JPG", EXAMPLE_JPG, "image/jpeg"),
        ("photo.jpeg", EXAMPLE_JPG, "image/jpeg"),
        ("photo.png", EXAMPLE_PNG, "image/png"),
    ],
)
def test_accepted_files_get_the_stored_shape(name: str, content: bytes, content_type: str) -> None:
    answer = make().clean({"proof": ExampleFile(name, content)})
    assert set(answer) == {"filename", "size", "content_type", "sha256", "file_id"}
    assert answer["filename"] == name and answer["size"] == len(content)
    assert answer["content_type"] == content_type  # from the bytes, never the browser
    assert is_file_answer(answer) and file_ids({"a": [{"b": answer}]}) == {answer["file_id"]}


def test_the_type_is_checked_by_content_not_only_by_extension() -> None:
    question = make()
    assert refusal(question, "photo.png", EXAMPLE_EXE).check == "file_type"  # a renamed .exe
    assert refusal(question, "photo.png", EXAMPLE_JPG).check == "file_type"  # a JPG called PNG
    assert refusal(question, "setup.exe", EXAMPLE_PNG).check == "file_type"
    assert refusal(question, "no-extension", EXAMPLE_PNG).check == "file_type"


def test_govuk_wording() -> None:
    question = make()
    assert refusal(question, "a.exe", b"x").message == "The selected file must be a PDF, JPG or PNG"
    assert refusal(question, "a.png", b"").message == "The selected file is empty"
    big = ExampleFile("a.png", EXAMPLE_PNG, 10 * MEGABYTE // len(EXAMPLE_PNG) + 1)
    with pytest.raises(AnswerError) as caught:
        question.clean({"proof": big})
    assert caught.value.message == "The selected file must be smaller than 10MB"
    with pytest.raises(AnswerError) as caught:
        question.clean({"proof": ""})
    assert caught.value.message == "Select a file"
    assert make(accept=["pdf"]).wrong_type().message == "The selected file must be a PDF"
    assert make(error_name="a photo of the rubbish").required_message() == (
        "Select a photo of the rubbish"
    )
    assert question.infected().message == "The selected file contains a virus"
    assert make(required=False).clean({"proof": ""}) is None


def test_welsh_messages() -> None:
    question = make("cy")
    assert question.required_message() == "Dewiswch ffeil"
    assert question.wrong_type().message == "Rhaid i’r ffeil a ddewiswyd fod yn PDF, JPG neu PNG"
    assert question.too_big().message == "Rhaid i’r ffeil a ddewiswyd fod yn llai na 10MB"
    assert question.macro_params({}, None, True)["chooseFilesButtonText"] == "Dewiswch ffeil"
    answer = question.clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    assert question.display(answer) == f"a.png ({len(EXAMPLE_PNG)} beit)"


def test_reading_stops_as_soon_as_the_file_is_over_the_limit() -> None:
    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            self.read_bytes += len(chunk)
            return chunk

    stream = Counting(EXAMPLE_PNG + b"\0" * (5 * MEGABYTE))

    class Upload:
        filename = "big.png"

        @property
        def stream(self) -> Counting:
            return stream

    with pytest.raises(AnswerError):
        make(max_size_mb=1).clean({"proof": Upload()})
    assert stream.read_bytes <= MEGABYTE + CHUNK  # not the 5MB the file holds


def test_an_accepted_answer_is_kept_as_it_is() -> None:
    answer = make().clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    assert make().clean(make().raw_from_answer(answer)) == answer
    forged = {**answer, "file_id": "../../etc/passwd"}
    with pytest.raises(AnswerError):
        make().clean({"proof": forged})  # not the answer's shape: no file at all


def test_names_and_sizes_shown() -> None:
    assert safe_filename("C:\\fakepath\\my photo.png") == "my photo.png"
    assert safe_filename('a"b\x00c.png') == "abc.png"
    assert safe_filename("") == "file"
    assert [human_size(n) for n in (10, 2048, 3 * MEGABYTE // 2)] == ["10 bytes", "2 KB", "1.5 MB"]
    answer = make().clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    assert make().display(answer) == f"a.png ({len(EXAMPLE_PNG)} bytes)"
    assert make().export(answer) == "a.png"


def test_the_page_shows_the_file_it_holds() -> None:
    answer = make().clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    params = make().macro_params({"proof": answer}, None, True)
    assert params["javascript"] is True
    assert "Your file: a.png" in str(params["formGroup"]["beforeInput"]["html"])
    assert "formGroup" not in make().macro_params({"proof": ""}, None, True)
