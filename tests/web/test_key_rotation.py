"""Rotating SECRET_KEY with the old key in SECRET_KEY_FALLBACKS: what the old key signed
(a resident's session and draft, a page's CSRF token, a page's mark, an agent's sealed
answers) is still taken after the restart; what is new is signed with the new key."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.config import ConfigError, load_config
from service_builder.staff.pending import _seal, _unseal
from service_builder.web.fields import mark, still_shows
from tests.conftest import DATABASE_URL, csrf_token, empty_database, location, make_app
from tests.web.discount import SERVICE

OLD = "the-key-before-rotation-" + "o" * 24
NEW = "the-key-after-rotation-" + "n" * 24


def _servers(tmp_path: Path, **config: str) -> Flask:
    """An app as one started on the shared database (a file, or PostgreSQL) with `config`."""
    url = DATABASE_URL if DATABASE_URL.startswith("postgresql") else f"sqlite:///{tmp_path}/a.db"
    return make_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True, **config)


def _half_way(tmp_path: Path) -> tuple[FlaskClient, str]:
    """A resident who answered the first page on servers with the old key, and has the second
    open as the servers restart: their client, and that page."""
    before = _servers(tmp_path, SECRET_KEY=OLD)
    empty_database(before)
    resident = before.test_client()
    first = resident.get(f"/{SERVICE}/account-number")
    answered = resident.post(
        f"/{SERVICE}/account-number",
        data={"account_number": "51234567", "csrf_token": csrf_token(first.text)},
    )
    assert answered.status_code == 302
    return resident, resident.get(f"/{SERVICE}/other-adults").text


def _restarted(resident: FlaskClient, app: Flask) -> FlaskClient:
    """The same browser (its session cookie) on the restarted servers."""
    cookie = resident.get_cookie("session")
    assert cookie is not None
    again = app.test_client()
    again.set_cookie("session", cookie.value)
    return again


def test_with_the_old_key_as_a_fallback_a_resident_carries_on_where_they_were(
    tmp_path: Path,
) -> None:
    resident, held_open = _half_way(tmp_path)
    after = _servers(tmp_path, SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=OLD)
    resident = _restarted(resident, after)
    sent = resident.post(
        f"/{SERVICE}/other-adults",
        data={"other_adults": "no", "csrf_token": csrf_token(held_open)},
    )
    assert sent.status_code == 302
    assert location(sent).endswith(f"/{SERVICE}/date-alone")
    assert 'value="51234567"' in resident.get(f"/{SERVICE}/account-number").text
    # what is signed from now on is signed with the new key alone
    servers_without_it = _servers(tmp_path, SECRET_KEY=NEW)
    assert resident.get(f"/{SERVICE}/date-alone").status_code == 200
    later = _restarted(resident, servers_without_it).get(f"/{SERVICE}/account-number")
    assert 'value="51234567"' in later.text


def test_without_the_fallback_the_old_session_is_refused(tmp_path: Path) -> None:
    resident, held_open = _half_way(tmp_path)
    resident = _restarted(resident, _servers(tmp_path, SECRET_KEY=NEW))
    sent = resident.post(
        f"/{SERVICE}/other-adults",
        data={"other_adults": "no", "csrf_token": csrf_token(held_open)},
    )
    assert sent.status_code != 302
    assert 'value="51234567"' not in resident.get(f"/{SERVICE}/account-number").text


def test_marks_and_sealed_answers_of_the_old_key_are_still_read(tmp_path: Path) -> None:
    shown = [{"full_name": "Pat Caller"}, 35]
    before = _servers(tmp_path, SECRET_KEY=OLD)
    with before.test_request_context("/"):
        old_mark, sealed = mark(shown), _seal({"forms": ["a form"]})
    after = _servers(tmp_path, SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=f"another-old-one {OLD}")
    with after.test_request_context("/"):
        assert still_shows(old_mark, shown) and mark(shown) != old_mark
        assert not still_shows(old_mark, [{"full_name": "Pat Caller"}, 50])
        assert not still_shows("é" * 16, shown)  # not ASCII: refused, not an error
        assert _unseal(sealed) == {"forms": ["a form"]}
    with _servers(tmp_path, SECRET_KEY=NEW).test_request_context("/"):
        assert not still_shows(old_mark, shown)
        assert _unseal(sealed) is None


@pytest.mark.parametrize(
    ("fallbacks", "refused"),
    [
        (f"{OLD} local-development-only", "is the development key"),
        ("my old council pass phrase", "a key that held spaces .* cannot be a fallback"),
    ],
)
def test_production_refuses_a_published_or_guessable_fallback(fallbacks: str, refused: str) -> None:
    settings = {"SERVICE_BUILDER_ENV": "production", "SECRET_KEY": NEW}
    with pytest.raises(ConfigError, match=refused):
        load_config({**settings, "SECRET_KEY_FALLBACKS": fallbacks})
    assert load_config({**settings, "SECRET_KEY_FALLBACKS": OLD})["SECRET_KEY_FALLBACKS"] == [OLD]
