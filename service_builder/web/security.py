"""Security headers on every response: a strict Content-Security-Policy and friends.

Caching: every response the app itself serves gets `Cache-Control: no-store` unless its
view chose otherwise. Pages are cheap to render and most of them (check answers,
confirmation, staff, case and admin pages, the status page) show personal data, so one
rule for all of them is safer than a list that a new page could be missing from. Only the
built assets at /assets (served by WhiteNoise, before Flask) are cached.
"""

from __future__ import annotations

import hmac
import io
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from flask import Flask, abort, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request, Response
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from service_builder.payments.pay import card_origins

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'{form_targets}; frame-ancestors 'none'"
)


def form_targets(config: Mapping[str, Any]) -> str:
    """Where a form's POST may be redirected besides this site. `form-action` governs the
    redirect that answers a POST too, so with payments on, "Continue to payment" (answered
    by a redirect to GOV.UK Pay's card page) needs Pay's card origin, and the origin of
    `PAY_BASE_URL` for a stand-in that serves its card page itself."""
    if not config.get("PAY_API_KEY"):
        return ""
    origins = card_origins(str(config.get("PAY_BASE_URL") or ""))
    return "".join(f" {origin}" for origin in sorted(origins))


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters no person types: NUL (which PostgreSQL text refuses) and friends.
Tab, line feed and carriage return stay allowed in form values (a textarea sends them)."""
PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
PASTED = re.compile(r"[\x0b\x0c]")
"""Line breaks that text pasted from a word processor carries (Word's Shift+Enter is a
vertical tab): read as the new lines they stand for, not refused with the page."""


def local_href(path: str) -> str:
    """This site's path as a link no browser can take to another site: backslashes (which
    browsers read as slashes) and anything else unsafe percent-encoded, one leading slash."""
    return "/" + quote(path, safe="/:@!$&'()*+,;=~").lstrip("/")


def local_full_path() -> str:
    """This request's path and query, as a link or redirect that stays on the site."""
    query = request.query_string.decode("latin-1")
    return local_href(request.path) + (f"?{query}" if query else "")


def same_site() -> bool:
    """Whether this request came from one of this site's pages: its Origin (or, without one,
    its Referer) names this host."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    host = urlsplit(source).netloc
    return bool(host) and host == request.host


class OriginAwareCSRF(CSRFProtect):
    """Flask-WTF's CSRF check, whose strict HTTPS check (production) reads the Referer: a
    browser whose privacy settings strip it still sends the Origin with a form's POST, which
    says the same, so without a Referer the Origin is read as one (a cross-site or `null`
    Origin still fails)."""

    def protect(self, apply_exemptions: bool = False) -> None:
        origin = request.headers.get("Origin")
        if not origin or request.referrer:
            super().protect(apply_exemptions)
            return
        request.environ["HTTP_REFERER"] = f"{origin}/"  # for this check only: nothing after
        try:  # it (where sign-in returns to, the logs) may take it for the page it came from
            super().protect(apply_exemptions)
        finally:
            del request.environ["HTTP_REFERER"]


class HeadAsGet:
    """A HEAD request is answered as the GET of the same URL without its body (RFC 9110), by
    this one rule around the app rather than in every view: views that show on GET and save
    on anything else (the question pages) would otherwise take a HEAD, which no CSRF check or
    POST rate limit looks at, for a POST. Any body it came with is not read."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.app(environ, start_response)
        as_get = {**environ, "REQUEST_METHOD": "GET", "CONTENT_LENGTH": "0"}
        as_get["wsgi.input"] = io.BytesIO()
        as_get.pop("CONTENT_TYPE", None)
        body = self.app(as_get, start_response)
        if hasattr(body, "close"):
            body.close()  # unread: a streamed download ends here, with its request
        return []


class StrictRequest(Request):
    """A request whose form has no nameless parts, and whose pasted line breaks (`PASTED`)
    are new lines. A multipart part without a name (which RFC 7578 does not allow) is read
    with the name None, which the CSRF check and every view take for text: such a body is a
    400, and the form holds only the named parts (for the error page, should it read it)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form, files = self.__dict__.get("form"), self.__dict__.get("files")
        if form is not None and any(PASTED.search(v) for _, v in form.items(multi=True)):
            self.__dict__["form"] = form = type(form)(
                (key, PASTED.sub("\n", value)) for key, value in form.items(multi=True)
            )
        nameless = (form is not None and None in form) or (files is not None and None in files)
        if nameless:
            for name, found in (("form", form), ("files", files)):
                if found is not None:
                    self.__dict__[name] = type(found)(
                        (key, value) for key, value in found.items(multi=True) if key is not None
                    )
            raise BadRequest("A part of the form has no name.")


def refuse_control_characters() -> None:
    """A 400 for a control character in the path, the query or the form, before any view (or
    database query) sees it."""
    if PATH_CONTROL.search(request.path):
        abort(400)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if CONTROL.search(key) or CONTROL.search(value):
                abort(400)


HSTS = "max-age=31536000; includeSubDomains"
ANY_HOST = ("/healthz", "/metrics")
"""Asked for by load balancers and monitoring, often by the server's own address."""


def host_check(public: str) -> Callable[[], None]:
    """A 400 for a request to any other host than the site's own (`PUBLIC_URL`): nothing is
    served under, or builds a link from, a Host or X-Forwarded-Host that a client chose."""

    def refuse_other_hosts() -> None:
        if request.host.lower() != public and request.path not in ANY_HOST:
            # for operators: a proxy that sends its upstream's address shows here
            log.info("host refused: %.100r is not %s", request.host, public)
            abort(400)

    return refuse_other_hosts


class RotatingSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, which takes a cookie signed with a previous key
    (SECRET_KEY_FALLBACKS) and signs it again with the current key in the response. A
    cookie is otherwise signed again only when its session changes, so without this the
    previous key could not be dropped until every cookie signed with it had expired."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        session = super().open_session(app, request)
        if session and app.config["SECRET_KEY_FALLBACKS"] and not self._signed_now(app, request):
            session.modified = True
        return session

    def _signed_now(self, app: Flask, request: Request) -> bool:
        """Whether the cookie (already found good) was signed with the current key."""
        serializer = self.get_signing_serializer(app)
        value, _, signature = request.cookies.get(self.get_cookie_name(app), "").rpartition(".")
        if serializer is None:
            return True
        wanted = serializer.make_signer().get_signature(value)
        return hmac.compare_digest(wanted, signature.encode())


def register(app: Flask) -> None:
    production = app.config["SERVICE_BUILDER_ENV"] == "production"
    app.request_class = StrictRequest
    app.session_interface = RotatingSessions()
    targets = form_targets(app.config)
    app.before_request(refuse_control_characters)
    if public := urlsplit(app.config.get("PUBLIC_URL") or "").netloc:
        app.before_request(host_check(public))
    elif production and not app.config.get("SERVICE_BUILDER_COMMAND"):  # serving requests
        app.logger.warning(
            "SERVICE_BUILDER_PUBLIC_URL is not set: links in emails follow each request's "
            "Host header (see docs/operations.md)"
        )
    app.wsgi_app = HeadAsGet(app.wsgi_app)  # type: ignore[method-assign]
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Behind a TLS-terminating proxy: trust its X-Forwarded-* (that many hops), so
        # request.scheme is https and CSRF's same-origin check and secure cookies work.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    @app.context_processor
    def _nonce() -> dict[str, Any]:
        """The GOV.UK template's one inline script carries this nonce (`cspNonce`)."""
        if "csp_nonce" not in g:
            g.csp_nonce = secrets.token_urlsafe(16)
        return {"cspNonce": g.csp_nonce}

    fixed = [  # the same on every response, unless its view set its own
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cache-Control", "no-store"),
        *([("Strict-Transport-Security", HSTS)] if production else []),
    ]

    @app.after_request
    def _headers(response: Response) -> Response:
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118
        if "content-security-policy" not in present:
            nonce = g.get("csp_nonce") or secrets.token_urlsafe(16)
            policy = POLICY.format(nonce=nonce, form_targets=targets)
            response.headers["Content-Security-Policy"] = policy
        response.headers.extend([(k, v) for k, v in fixed if k.lower() not in present])
        return response
