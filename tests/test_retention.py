"""The retention job deletes what is past its time and nothing else."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from service_builder.models import Draft, Submission, db, utcnow
from service_builder.retention import purge
from tests.web.discount import SERVICE, answer_about_you, answer_to_about_you


def _submit_discount_application(client: FlaskClient) -> None:
    answer_to_about_you(client)
    answer_about_you(client)
    assert client.post(f"/{SERVICE}/check-answers").status_code == 302


def test_purge_respects_retention_days_and_draft_lifetime(app: Flask, client: FlaskClient) -> None:
    _submit_discount_application(client)
    client.post("/report-fly-tipping/land-type", data={"land_type": "road"})  # a fresh draft
    catalog = app.extensions["service_builder"].catalog
    with app.app_context():
        assert purge(catalog, app.config).submissions == 0
        db.session.execute(
            update(Submission).values(submitted_at=utcnow() - dt.timedelta(days=2189))
        )
        db.session.commit()
        assert purge(catalog, app.config).submissions == 0  # 2190 days kept
        db.session.execute(
            update(Submission).values(submitted_at=utcnow() - dt.timedelta(days=2191))
        )
        db.session.commit()
        result = purge(catalog, app.config)
        assert result.submissions == 1 and result.drafts == 0
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
        db.session.execute(update(Draft).values(updated_at=utcnow() - dt.timedelta(days=2)))
        db.session.commit()
        assert purge(catalog, app.config).drafts == 1
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_assisted_drafts_are_kept_for_their_own_30_days(app: Flask, client: FlaskClient) -> None:
    from service_builder.staff.accounts import save_user

    with app.app_context():
        save_user("agent@example.com", "correct horse battery", "agent")
    client.post(
        "/staff/sign-in", data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    assert client.post(f"/staff/{SERVICE}/", data={"contact_channel": "phone"}).status_code == 302
    resident = app.test_client()
    resident.post("/report-fly-tipping/land-type", data={"land_type": "road"})
    catalog = app.extensions["service_builder"].catalog
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=utcnow() - dt.timedelta(days=2)))
        db.session.commit()
        assert purge(catalog, app.config).drafts == 1  # the resident's; the agent's is kept
        assert db.session.scalars(select(Draft.channel)).all() == ["assisted"]
    assert client.get(f"/staff/{SERVICE}/account-number").status_code == 200
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=utcnow() - dt.timedelta(days=31)))
        db.session.commit()
        assert purge(catalog, app.config).drafts == 1
