"""The `file` question: one upload, checked by its content, size and type (GOV.UK file upload).

The engine checks what it can without side effects: the file's name, its size (read in chunks,
stopping as soon as it is over the limit) and its type, told by its first bytes (magic numbers)
and not only by its extension. It gives the accepted file a fresh `file_id`; the web layer
(`service_builder.web.uploads`) then scans the bytes for viruses and stores them under that id.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, ClassVar, Literal, Protocol, TypeGuard

from markupsafe import Markup, escape
from pydantic import Field, field_validator

from service_builder.messages import N_
from service_builder.questions.base import AnswerError, FormData, Question, Raw, as_seen

CHUNK = 64 * 1024
MEGABYTE = 1024 * 1024
MAX_SIZE_MB = 50
ANSWER_KEYS = ("filename", "size", "content_type", "sha256", "file_id")
FILE_ID = re.compile(r"^[0-9a-f]{32}$")
SNIFF_BYTES = 16


def _prefix(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: any(head.startswith(signature) for signature in signatures)


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _heic(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1")


ZIP = _prefix(b"PK\x03\x04")
OLE = _prefix(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: how its content starts, and what content type it is stored as."""

    content_type: str
    matches: Callable[[bytes], bool]
    name: str
    """What error messages call it ('PDF', 'JPG')."""


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", _prefix(b"%PDF-"), "PDF"),
    "jpg": FileKind("image/jpeg", _prefix(b"\xff\xd8\xff"), "JPG"),
    "jpeg": FileKind("image/jpeg", _prefix(b"\xff\xd8\xff"), "JPG"),
    "png": FileKind("image/png", _prefix(b"\x89PNG\r\n\x1a\n"), "PNG"),
    "gif": FileKind("image/gif", _prefix(b"GIF87a", b"GIF89a"), "GIF"),
    "webp": FileKind("image/webp", _webp, "WEBP"),
    "heic": FileKind("image/heic", _heic, "HEIC"),
    "tif": FileKind("image/tiff", _prefix(b"II*\x00", b"MM\x00*"), "TIFF"),
    "tiff": FileKind("image/tiff", _prefix(b"II*\x00", b"MM\x00*"), "TIFF"),
    "doc": FileKind("application/msword", OLE, "DOC"),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "DOCX"
    ),
    "xls": FileKind("application/vnd.ms-excel", OLE, "XLS"),
    "xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "XLSX"
    ),
    "odt": FileKind("application/vnd.oasis.opendocument.text", ZIP, "ODT"),
}
Extension = Literal[
    "pdf", "jpg", "jpeg", "png", "gif", "webp", "heic", "tif", "tiff", "doc", "docx", "xls",
    "xlsx", "odt",
]  # fmt: skip


DEFAULT_ACCEPT: tuple[Extension, ...] = ("pdf", "jpg", "jpeg", "png")


class Upload(Protocol):
    """A file as posted (werkzeug's FileStorage satisfies it)."""

    filename: str | None

    @property
    def stream(self) -> IO[bytes]: ...


@dataclass(frozen=True)
class ExampleFile:
    """An upload made of known bytes: the example inputs that tests and the sweep post."""

    filename: str
    content: bytes = b""
    repeat: int = 1
    """The content is repeated this many times (a large file without a large literal)."""

    @property
    def stream(self) -> IO[bytes]:
        return io.BytesIO(self.content * self.repeat)

    @property
    def size(self) -> int:
        return len(self.content) * self.repeat


# Tiny but real files: the first bytes are what the type check reads.
EXAMPLE_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
    b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXAMPLE_JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXAMPLE_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
EXAMPLES = {"png": EXAMPLE_PNG, "pdf": EXAMPLE_PDF, "jpg": EXAMPLE_JPG, "jpeg": EXAMPLE_JPG}


def is_upload(value: Any) -> TypeGuard[Upload]:
    return bool(getattr(value, "filename", None)) and hasattr(value, "stream")


def is_file_answer(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """Whether `value` has the stored answer's shape (and a file id that names nothing else)."""
    return (
        isinstance(value, Mapping)
        and tuple(sorted(value)) == tuple(sorted(ANSWER_KEYS))
        and isinstance(value["file_id"], str)
        and bool(FILE_ID.match(value["file_id"]))
        and isinstance(value["size"], int)
        and all(isinstance(value[key], str) for key in ("filename", "content_type", "sha256"))
    )


def file_ids(answers: Any) -> set[str]:
    """Every file id in some answers, however nested (repeat items, whole submissions)."""
    if is_file_answer(answers):
        return {answers["file_id"]}
    found: set[str] = set()
    if isinstance(answers, Mapping):
        for value in answers.values():
            found |= file_ids(value)
    elif isinstance(answers, list):
        for value in answers:
            found |= file_ids(value)
    return found


def safe_filename(name: str) -> str:
    """The file's own name, without any folder a browser sent, control characters, quotes or
    characters that show nothing (`as_seen`)."""
    base = re.split(r"[\\/]", as_seen(name))[-1]
    base = re.sub(r"[\x00-\x1f\x7f\"]", "", base).strip()
    return base[-200:] or "file"


def human_size(size: int) -> str:
    """'350 KB', '2.4 MB': what people see next to a file's name."""
    if size < 1024:
        return f"{size} bytes"
    if size < MEGABYTE:
        return f"{size / 1024:.0f} KB"
    return f"{size / MEGABYTE:.1f} MB"


class FileQuestion(Question):
    error_name_example: ClassVar[str] = "a photo of the damage"
    type: Literal["file"]
    accept: list[Extension] = Field(
        default_factory=lambda: list(DEFAULT_ACCEPT),
        min_length=1,
        description="The file types accepted, by extension; each is also checked by content",
    )
    max_size_mb: int = Field(default=10, ge=1, le=MAX_SIZE_MB, description="At most 50")

    macro: ClassVar[str] = "govukFileUpload"
    control: ClassVar[str] = "file"
    checks: ClassVar[tuple[str, ...]] = (
        "required",
        "file_type",
        "max_size",
        "empty",
        "virus",
        "not_scanned",
    )
    condition_operators: ClassVar[frozenset[str]] = frozenset({"answered"})

    @field_validator("accept")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("accept must not repeat an extension")
        return value

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * MEGABYTE

    # -- reading and checking ---------------------------------------------------------------
    def read(self, form: FormData) -> Raw:
        """An upload, a file accepted earlier (its stored answer), or nothing."""
        value = form.get(self.id)
        if is_upload(value) or is_file_answer(value):
            return {self.id: value}
        return {self.id: ""}

    def clean(self, raw: Raw) -> Any:
        value = raw.get(self.id)
        if is_file_answer(value):
            return dict(value)
        if not is_upload(value):
            return self.missing()
        return self.checked(value)

    def checked(self, upload: Upload) -> dict[str, Any]:
        """The stored answer for an upload, or an AnswerError in GOV.UK's words."""
        filename = safe_filename(upload.filename or "")
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in self.accept:
            raise self.wrong_type()
        stream = upload.stream
        stream.seek(0)
        digest, size, head = hashlib.sha256(), 0, b""
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise self.too_big()  # stop reading: the rest is never looked at
            digest.update(chunk)
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
        stream.seek(0)
        if size == 0:
            raise self.error("empty", self.messages.gettext(N_("The selected file is empty")))
        kind = KINDS[extension]
        if not kind.matches(head):
            raise self.wrong_type()  # say, a program renamed photo.png
        return {
            "filename": filename,
            "size": size,
            "content_type": kind.content_type,
            "sha256": digest.hexdigest(),
            "file_id": secrets.token_hex(16),
        }

    def required_message(self) -> str:
        if self.error_name:
            return self.say(N_("Select %(name)s"))
        return self.messages.gettext(N_("Select a file"))

    @property
    def uses_generic_wording(self) -> bool:
        return False  # 'Select a file' and the other defaults never quote the question

    def wrong_type(self) -> AnswerError:
        names = list(dict.fromkeys(KINDS[extension].name for extension in self.accept))
        if len(names) == 1:
            message = self.messages.gettext(
                N_("The selected file must be a %(type)s"), type=names[0]
            )
        else:
            message = self.messages.gettext(
                N_("The selected file must be a %(types)s or %(last)s"),
                types=", ".join(names[:-1]),
                last=names[-1],
            )
        return self.error("file_type", message)

    def too_big(self) -> AnswerError:
        return self.error(
            "max_size",
            self.messages.gettext(
                N_("The selected file must be smaller than %(size)sMB"), size=self.max_size_mb
            ),
        )

    def infected(self) -> AnswerError:
        return self.error("virus", self.messages.gettext(N_("The selected file contains a virus")))

    def not_scanned(self) -> AnswerError:
        """The virus scanner could not be reached: no file is kept unscanned."""
        return self.error(
            "not_scanned",
            self.messages.gettext(N_("The selected file could not be uploaded – try again")),
        )

    # -- showing answers back ---------------------------------------------------------------
    def raw_from_answer(self, value: Any) -> Raw:
        return {self.id: dict(value) if is_file_answer(value) else ""}

    def display(self, value: Any) -> str | Markup:
        if not is_file_answer(value):
            return ""
        size = value["size"]
        shown = (
            self.messages.gettext(N_("%(num)s bytes"), num=size)
            if size < 1024
            else human_size(size)  # KB and MB read the same in Welsh
        )
        return f"{value['filename']} ({shown})"

    def export(self, value: Any) -> str:
        return str(value["filename"]) if is_file_answer(value) else ""

    def search_words(self, value: Any) -> list[str]:
        """The file's name, never its stored id, hash or type."""
        return [self.export(value)]

    def macro_params(self, raw: Raw, error: AnswerError | None, is_heading: bool) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": self.id,
            "name": self.id,
            "hint": {"text": self.hint} if self.hint else None,
            "errorMessage": self.error_message(error),
            "label": self.heading(is_heading),
            "javascript": True,
            "attributes": {"accept": ",".join(f".{extension}" for extension in self.accept)},
        }
        params.update(self._language_texts())
        kept = raw.get(self.id)
        if is_file_answer(kept):
            # a file accepted earlier stays unless another is chosen: say which one it is
            text = self.messages.gettext(
                N_("Your file: %(name)s. Choose another file only to replace it."),
                name=self.display(kept),
            )
            params["formGroup"] = {
                "beforeInput": {
                    "html": Markup(
                        '<p class="govuk-body govuk-!-text-break-word" id="{}-current">{}</p>'
                    ).format(self.id, escape(text))
                }
            }
            # so a screen reader on the control hears which file is held, not only
            # "No file chosen"; the macro adds the hint's and error's ids after it
            params["describedBy"] = f"{self.id}-current"
        return params

    def _language_texts(self) -> dict[str, Any]:
        """The enhanced component's own words, in the page's language."""
        say = self.messages.gettext
        return {
            "chooseFilesButtonText": say(N_("Choose file")),
            "noFileChosenText": say(N_("No file chosen")),
            "dropInstructionText": say(N_("or drop file")),
            "enteredDropZoneText": say(N_("Entered drop zone")),
            "leftDropZoneText": say(N_("Left drop zone")),
        }

    # -- example answers ----------------------------------------------------------------------
    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        extension = next((e for e in self.accept if e in EXAMPLES), self.accept[0])
        content = EXAMPLES.get(extension, b"")
        if not content:  # a kind with no example of its own: its signature and some bytes
            content = _example_bytes(extension)
        return [{self.id: ExampleFile(f"example.{extension}", content)}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        good = self.example_inputs()[0][self.id]
        stem = good.filename.rsplit(".", 1)[-1]
        return [
            *super().invalid_inputs(),
            ("file_type", {self.id: ExampleFile(f"program.{stem}", EXAMPLE_EXE)}),
            ("file_type", {self.id: ExampleFile("program.exe", good.content)}),
            ("empty", {self.id: ExampleFile(good.filename, b"")}),
            (
                "max_size",
                {
                    self.id: ExampleFile(
                        good.filename, good.content, self.max_bytes // len(good.content) + 1
                    )
                },
            ),
        ]

    def blank(self) -> Raw:
        return {self.id: ""}


def _example_bytes(extension: str) -> bytes:
    starts = {
        "gif": b"GIF89a",
        "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        "heic": b"\x00\x00\x00\x18ftypheic",
        "tif": b"II*\x00",
        "tiff": b"II*\x00",
    }
    office = b""
    if extension in ("docx", "xlsx", "odt"):
        office = b"PK\x03\x04"
    elif extension in ("doc", "xls"):
        office = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return starts.get(extension, office) + b"\x00" * 48
