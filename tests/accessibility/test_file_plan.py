"""The sweep plan's file states: an optional file question's page with its file kept (and
its 'Remove file' button), and the page again with the 'File removed' banner."""

from __future__ import annotations

from accessibility.plan import FILE_FIELD, service_plan
from service_builder.catalog import Catalog
from service_builder.questions.files import FileQuestion
from service_builder.web.file_removal import REMOVE_FIELD
from tests.conftest import EXAMPLES, FIXTURES

KEPT = "file kept, with Remove file"
REMOVED = "file removed: success banner"


def _file_pages(catalog: Catalog, required: bool) -> list[tuple[str, str]]:
    return [
        (service.id, page.id)
        for service in catalog.services.values()
        for page in service.pages
        if any(isinstance(q, FileQuestion) and q.required == required for q in page.questions)
    ]


def test_every_optional_file_page_is_swept_kept_and_removed() -> None:
    catalog = Catalog.load(EXAMPLES)
    pages = _file_pages(catalog, required=False)
    assert ("report-fly-tipping", "photo") in pages
    for service_id, page_id in pages:
        plan = service_plan(catalog.services[service_id])
        states = [(a.check.page, a.check.note) for a in plan if a.check]
        assert (page_id, KEPT) in states and (page_id, REMOVED) in states
        kept = next(i for i, a in enumerate(plan) if a.check and a.check.note == KEPT)
        given, shown, removed, restored = plan[kept - 1 : kept + 3]
        assert given.kind == "fetch" and any(v.startswith(FILE_FIELD) for _, v in given.fields)
        assert shown.kind == "get" and shown.check and shown.check.state == "question"
        assert removed.kind == "submit" and removed.fields[0][0] == REMOVE_FIELD
        assert restored.kind == "fetch" and restored.expect_status == 302


def test_a_required_file_page_has_no_removal_states() -> None:
    catalog = Catalog.load(FIXTURES)
    assert ("evidence", "proof") in _file_pages(catalog, required=True)
    plan = service_plan(catalog.services["evidence"])
    notes = {a.check.note for a in plan if a.check}
    assert KEPT not in notes and REMOVED not in notes


def test_a_required_file_page_from_a_change_link_expects_no_error_for_an_empty_continue() -> None:
    """The file already held answers the question: Continue with no new file keeps it."""
    catalog = Catalog.load(FIXTURES)
    plan = service_plan(catalog.services["evidence"])
    change_errors = [
        a.check.note
        for a in plan
        if a.check and a.check.page == "proof" and a.check.note.startswith("from a Change link: ")
    ]
    assert "from a Change link: empty submit" not in change_errors
