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
    assert safe_filename("invoice\u202egnp.exe") == "invoicegnp.exe"  # no reordering on show
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


# -- the edges a mutation run found untested ------------------------------------------------
ZIP_START = b"PK\x03\x04"
OLE_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("extension", "start", "content_type"),
    [
        ("gif", b"GIF87a", "image/gif"),
        ("gif", b"GIF89a", "image/gif"),
        ("webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        ("heic", b"\x00\x00\x00\x18ftypheic", "image/heic"),
        ("heic", b"\x00\x00\x00\x18ftypheix", "image/heic"),
        ("heic", b"\x00\x00\x00\x18ftypmif1", "image/heic"),
        ("heic", b"\x00\x00\x00\x18ftypmsf1", "image/heic"),
        ("tif", b"II*\x00", "image/tiff"),
        ("tiff", b"MM\x00*", "image/tiff"),
        ("doc", OLE_START, "application/msword"),
        ("xls", OLE_START, "application/vnd.ms-excel"),
        (
            "docx",
            ZIP_START,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("xlsx", ZIP_START, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("odt", ZIP_START, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_each_kind_is_told_by_its_own_first_bytes(
    extension: str, start: bytes, content_type: str
) -> None:
    question = make(accept=[extension])
    answer = question.clean({"proof": ExampleFile(f"a.{extension}", start + b"\x00" * 32)})
    assert answer["content_type"] == content_type
    # the generated example for a kind with no sample file of its own is a real one of its kind
    example = question.example_inputs()[0]["proof"]
    assert example.filename == f"example.{extension}"
    assert question.clean({"proof": example})["content_type"] == content_type


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        ("webp", b"RIFF\x24\x00\x00\x00WAVEfmt "),  # a sound file: RIFF but not WEBP
        ("webp", b"RIFX\x24\x00\x00\x00WEBPVP8 "),
        ("webp", b"riff\x24\x00\x00\x00WEBPVP8 "),
        ("heic", b"\x00\x00\x00\x18ftypisom"),  # an MP4 video renamed .heic
        ("heic", b"\x00\x00\x00\x18fxypheic"),
        ("gif", b"gif89a"),
        ("tif", b"ii*\x00"),
    ],
)
def test_a_near_miss_of_a_signature_is_refused(extension: str, content: bytes) -> None:
    question = make(accept=[extension])
    assert refusal(question, f"a.{extension}", content + b"\x00" * 32).check == "file_type"


def test_a_real_sample_file_is_preferred_as_the_example() -> None:
    example = make(accept=["gif", "png"]).example_inputs()[0]["proof"]
    assert (example.filename, example.content) == ("example.png", EXAMPLE_PNG)


def test_the_invalid_inputs_refuse_by_content_and_sit_just_past_the_size() -> None:
    question = make(accept=["pdf"], max_size_mb=1)
    inputs = question.invalid_inputs()
    # a program given an accepted name: only the content check can refuse it
    renamed = [raw["proof"] for check, raw in inputs if check == "file_type"]
    assert any(f.filename == "program.pdf" and f.content == EXAMPLE_EXE for f in renamed)
    (big,) = [raw["proof"] for check, raw in inputs if check == "max_size"]
    assert question.max_bytes < big.size <= question.max_bytes + len(EXAMPLE_PDF)


def test_the_extension_is_the_part_after_the_last_dot() -> None:
    question = make()
    assert question.clean({"proof": ExampleFile("my.holiday.photo.png", EXAMPLE_PNG)})
    assert refusal(question, "png", EXAMPLE_PNG).check == "file_type"  # no dot: no extension


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    question = make(max_size_mb=1)
    exact = ExampleFile("a.png", EXAMPLE_PNG + b"\x00" * (MEGABYTE - len(EXAMPLE_PNG)))
    assert question.clean({"proof": exact})["size"] == MEGABYTE
    one_more = ExampleFile("a.png", exact.content + b"\x00")
    assert refusal(question, one_more.filename, one_more.content).check == "max_size"


class Trickle(io.BytesIO):
    """A stream that gives a few bytes a read, as a slow network might."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(4)


class OneStream:
    """An upload that keeps one stream, so the test sees where it is left."""

    filename = "photo.png"

    def __init__(self, stream: io.BytesIO) -> None:
        self._stream = stream

    @property
    def stream(self) -> io.BytesIO:
        return self._stream


def test_the_first_bytes_are_gathered_over_short_reads_and_the_stream_is_rewound() -> None:
    stream = Trickle(EXAMPLE_PNG)
    answer = make().clean({"proof": OneStream(stream)})
    assert answer["content_type"] == "image/png" and answer["size"] == len(EXAMPLE_PNG)
    assert stream.tell() == 0  # the web layer stores the whole file from here


def test_a_file_field_left_empty_is_no_answer() -> None:
    from werkzeug.datastructures import FileStorage, MultiDict

    question = make()
    empty = FileStorage(io.BytesIO(b""), filename="")  # what a browser posts for no file
    raw = question.read(MultiDict({"proof": empty}))
    assert raw == {"proof": ""}
    with pytest.raises(AnswerError) as caught:
        question.clean({"proof": empty})
    assert caught.value.check == "required"


def test_reading_keeps_an_upload_or_a_stored_answer_and_nothing_else() -> None:
    from werkzeug.datastructures import FileStorage, MultiDict

    question = make()
    upload = FileStorage(io.BytesIO(EXAMPLE_PNG), filename="a.png")
    assert question.read(MultiDict({"proof": upload})) == {"proof": upload}
    answer = question.clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    assert question.read({"proof": answer}) == {"proof": answer}
    assert question.read(MultiDict({"proof": "a.png"})) == {"proof": ""}
    assert question.read(MultiDict({"other": upload})) == {"proof": ""}


def test_file_ids_gathers_every_answer() -> None:
    first = make().clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    second = make().clean({"proof": ExampleFile("b.png", EXAMPLE_PNG)})
    third = make().clean({"proof": ExampleFile("c.png", EXAMPLE_PNG)})
    ids = {first["file_id"], second["file_id"], third["file_id"]}
    assert len(ids) == 3  # a fresh id each time
    assert file_ids({"a": first, "b": second, "c": third, "d": "text"}) == ids
    assert file_ids([first, {"x": [second]}, third, None]) == ids


def test_sizes_at_the_unit_boundaries() -> None:
    assert [human_size(n) for n in (1023, 1024, 1000 * 1024)] == [
        "1023 bytes",
        "1 KB",
        "1000 KB",
    ]
    assert human_size(MEGABYTE - 1) == "1024 KB" and human_size(MEGABYTE) == "1.0 MB"
    answer = make().clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    assert make().display({**answer, "size": 1023}) == "a.png (1023 bytes)"
    assert make().display({**answer, "size": 1024}) == "a.png (1 KB)"
    assert make().display({**answer, "size": 2 * MEGABYTE}) == "a.png (2.0 MB)"


def test_a_long_name_keeps_its_last_200_characters() -> None:
    name = safe_filename("a" * 250 + ".png")
    assert len(name) == 200 and name.endswith("a.png")


def test_no_answer_shows_and_exports_as_nothing() -> None:
    question = make(required=False)
    assert question.display(None) == "" and question.export(None) == ""
    assert question.raw_from_answer(None) == {"proof": ""}


def test_the_virus_and_scanner_refusals() -> None:
    question = make()
    assert question.infected().check == "virus"
    failed = question.not_scanned()
    assert (failed.check, failed.field) == ("not_scanned", "proof")
    assert failed.message == "The selected file could not be uploaded – try again"
    welsh = make("cy")
    assert welsh.infected().message == "Mae’r ffeil a ddewiswyd yn cynnwys feirws"
    assert welsh.not_scanned().message == (
        "Nid oedd modd uwchlwytho’r ffeil a ddewiswyd – rhowch gynnig arall arni"
    )
    assert make("cy", error_name="llun").required_message() == "Dewiswch llun"


def test_the_component_parameters() -> None:
    question = make(hint="A photo or scan", accept=["png", "pdf"])
    answer = question.clean({"proof": ExampleFile("a.png", EXAMPLE_PNG)})
    params = question.macro_params({"proof": answer}, question.wrong_type(), True)
    assert params == {
        "id": "proof",
        "name": "proof",
        "hint": {"text": "A photo or scan"},
        "errorMessage": {
            "text": "The selected file must be a PNG or PDF",
            "visuallyHiddenText": "Error",
        },
        "label": {
            "text": "Upload your evidence",
            "isPageHeading": True,
            "classes": "govuk-label--l",
        },
        "javascript": True,
        "attributes": {"accept": ".png,.pdf"},
        "chooseFilesButtonText": "Choose file",
        "noFileChosenText": "No file chosen",
        "dropInstructionText": "or drop file",
        "enteredDropZoneText": "Entered drop zone",
        "leftDropZoneText": "Left drop zone",
        "formGroup": {
            "beforeInput": {
                "html": '<p class="govuk-body govuk-!-text-break-word" id="proof-current">Your file: a.png '
                f"({len(EXAMPLE_PNG)} bytes). Choose another file only to replace it.</p>"
            }
        },
        "describedBy": "proof-current",
    }
    welsh = make("cy").macro_params({}, None, False)
    assert welsh["hint"] is None and welsh["errorMessage"] is None
    assert welsh["label"] == {"text": "Upload your evidence", "classes": "govuk-label--m"}
    assert [welsh[key] for key in ("noFileChosenText", "dropInstructionText")] == [
        "Dim ffeil wedi’i dewis",
        "neu ollwng ffeil",
    ]
    assert [welsh[key] for key in ("enteredDropZoneText", "leftDropZoneText")] == [
        "Wedi mynd i mewn i’r parth gollwng",
        "Wedi gadael y parth gollwng",
    ]
