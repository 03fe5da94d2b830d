"""The sweep plan checks an address page showing several errors at once: its empty submit
fails line 1, town and postcode together, on typed and looked-up address pages alike."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from accessibility.plan import service_plan
from service_builder.catalog import Catalog
from service_builder.questions import AnswerError
from service_builder.questions.composite import AddressQuestion
from tests.conftest import EXAMPLES

CATALOG = Catalog.load(EXAMPLES)


def test_each_address_page_is_swept_with_every_input_in_error() -> None:
    swept: dict[str, bool] = {}
    for service in CATALOG.services.values():
        plan = service_plan(service)
        for page in service.pages:
            for question in page.questions:
                if not isinstance(question, AddressQuestion) or not question.required:
                    continue
                fields = [
                    action.fields
                    for action in plan
                    if action.check is not None
                    and action.check.page == page.id
                    and action.check.state == "question-error"
                    and action.check.note == "empty submit"
                ]
                assert fields, (service.id, page.id)
                with pytest.raises(AnswerError) as refused:
                    question.clean(question.read(MultiDict(list(fields[0]))))
                failed = [problem.field for problem in refused.value.each]
                assert failed == [question.field(key) for key in ("line_1", "town", "postcode")]
                swept[f"{service.id}/{page.id}"] = question.lookup
    assert True in swept.values() and False in swept.values(), swept
