"""Submissions made straight in the database, for the worker's tests and the delivery bench."""

from __future__ import annotations

import secrets

from flask import Flask

from service_builder.models import Draft, Submission, db
from service_builder.references import new_reference
from service_builder.submissions import record_after_submission


def seed(app: Flask, submissions: int) -> list[str]:
    """Submissions of the pothole service, each owing a webhook and two emails."""
    references = []
    with app.app_context():
        service = app.extensions["service_builder"].catalog.get("report-a-pothole")
        for number in range(submissions):
            draft = Draft(token=secrets.token_urlsafe(24), service_id=service.id, data={})
            db.session.add(draft)
            db.session.flush()
            submission = Submission(
                reference=new_reference("POT"),
                service_id=service.id,
                definition_version=service.version,
                channel="online",
                answers={"full_name": f"Resident {number}", "email": f"r{number}@example.com"},
                draft_id=draft.id,
            )
            db.session.add(submission)
            record_after_submission(submission, service)
            references.append(submission.reference)
        db.session.commit()
    return references
