"""Security headers: a strict content policy whose nonce lets only our own inline script run."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from tests.conftest import copy_fixture, make_app


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/report-fly-tipping/land-type")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    scripts = re.findall(r"<script([^>]*)>", response.get_data(as_text=True))
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce.group(1)}"']
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    other = client.get("/report-fly-tipping/land-type").headers["Content-Security-Policy"]
    assert other != policy  # a new nonce every time
    assert "Strict-Transport-Security" not in response.headers


def test_production_adds_hsts(definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    app = make_app(definitions_dir, SERVICE_BUILDER_ENV="production")
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
