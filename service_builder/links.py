"""Links that leave the site: in emails, and the address GOV.UK Pay sends people back to.

With `SERVICE_BUILDER_PUBLIC_URL` set (production should), they are built from it, never from
the request's Host or X-Forwarded-Host, which a client chooses: a poisoned header cannot put
another site's address in an email the council sends. Without it they follow the request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


class PublicUrlError(ValueError):
    """SERVICE_BUILDER_PUBLIC_URL is not an address people can use."""


def public_url(text: str) -> str:
    """The configured address, checked: a scheme and a host, nothing else."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PublicUrlError(
            f"SERVICE_BUILDER_PUBLIC_URL must be the site's address, like "
            f"https://forms.example.gov.uk, not '{text}'"
        )
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise PublicUrlError(
            f"SERVICE_BUILDER_PUBLIC_URL must be only the scheme and host (and port), not '{text}'"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a page of the site; a relative one when there is neither a
    configured address nor a request to build it from (a worker without the setting)."""
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context():
        return (
            base + url_for(endpoint, **values)
            if base
            else url_for(endpoint, _external=True, **values)
        )
    path = current_app.url_map.bind(urlsplit(base).netloc if base else "localhost").build(
        endpoint, values
    )
    return (base or "") + path
