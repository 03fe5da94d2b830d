"""Staff pages: sign in and out, the assisted-mode home, drafts, and sent forms with their audit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from service_builder.cases import Case, teams_of
from service_builder.definitions import Service
from service_builder.messages import IN_ENGLISH, translator
from service_builder.models import Draft, StaffUser, Submission, db, utcnow
from service_builder.staff import audit, callers, devices, sessions
from service_builder.staff.accounts import authenticate, has_role
from service_builder.staff.auth import (
    current_session,
    current_staff,
    require_role,
    seconds_left,
    sign_in,
    sign_out,
)
from service_builder.staff.callers import by_reference, sent_form
from service_builder.staff.pending import WARNING
from service_builder.web import searches, typed
from service_builder.web.assisted import runner
from service_builder.web.cases import (
    callers_services,
    can_read_sent,
    can_see,
    can_take_up,
    held_by_other,
)
from service_builder.web.forms import (
    CHANNELS,
    FindForm,
    SignInForm,
    StartForm,
    card_taken,
    ended_name,
    error_summary,
    govuk_params,
)
from service_builder.web.language import (
    STAFF_BLUEPRINTS,
    current_language,
    use_service_language,
)
from service_builder.web.limits import limiter, refused, sign_in_limit
from service_builder.web.runner import submitted_rows
from service_builder.web.searches import SEARCH, SEARCH_ENDED

blueprint = Blueprint("staff", __name__, url_prefix="/staff")
SIGN_IN_FAILED = (
    "Enter a correct email address and password. After 5 wrong attempts an "
    "account is locked for 15 minutes."
)
PUBLIC = {"staff.sign_in", "staff.sign_out", "staff.sign_out_confirm"}


@blueprint.before_request
def _signed_in() -> Any:
    if request.endpoint not in PUBLIC:
        return require_role("agent")()
    return None


@blueprint.app_context_processor
def _staff_context() -> dict[str, Any]:
    """Staff pages (and the assisted journey) know who is signed in."""
    blueprint_name = request.blueprint or ""
    staff_area = blueprint_name in STAFF_BLUEPRINTS or blueprint_name.startswith("preview")
    signed_in = current_staff() if staff_area else None
    return {
        "staff_user": signed_in,
        # the Cases menu item: staff in no team (a contact centre) have none to see
        "staff_has_cases": signed_in is not None
        and (has_role(signed_in, "supervisor") or bool(teams_of(signed_in))),
        "staff_is_admin": signed_in is not None and has_role(signed_in, "admin"),
        "staff_seconds_left": seconds_left() if signed_in else None,
        "staff_warn_before": int(current_app.config["STAFF_TIMEOUT_WARNING"].total_seconds()),
        "channels": CHANNELS,
        "ended_name": ended_name,
        "card_taken": card_taken,
        "languages_in_english": IN_ENGLISH,
        "govuk_params": govuk_params,
        "audit_details": audit.shown_details,
    }


@blueprint.app_template_filter("london")
def _london(moment: Any) -> str:
    return audit.london(moment)


@blueprint.app_template_filter("london_exact")
def _london_exact(moment: Any) -> str:
    return audit.london(moment, exact=True)


@blueprint.app_template_filter("date_in_words")
def _date_in_words(moment: Any) -> str:
    """A day as GOV.UK writes it, in the page's language: '27 March 2026', '27 Mawrth 2026'."""
    local = moment.replace(tzinfo=dt.UTC).astimezone(audit.LONDON)
    return translator(current_language()).date(local.date())


def _catalog() -> Any:
    return current_app.extensions["service_builder"].catalog


SAFE_NEXT = re.compile(r"/(?:staff|admin)/[!-\[\]-~]*")
"""A page of this site's staff area: printable ASCII with no spaces, backslashes or line
breaks (a line break in a Location header is refused, and was a 500)."""


def _safe_next(target: str | None) -> str:
    if target and SAFE_NEXT.fullmatch(target) and "//" not in target:
        return target
    return url_for("staff.home")


SIGNED_OUT_NOW = "signed-out-now"
"""A one-off flash: the page after signing out tells the browser's other tabs to clear
(`static/src/timeout.js`); a reload of it, or a failed sign-in there, does not."""


@blueprint.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@limiter.limit(sign_in_limit, methods=["POST"], deduct_when=refused)
def sign_in_page() -> Any:
    if request.method == "GET" and current_staff() is not None:
        return redirect(_safe_next(request.args.get("next")))  # signed in already
    form = SignInForm(request.form if request.method == "POST" else None)
    errors = error_summary(form) if request.method == "POST" and not form.validate() else []
    if request.method == "POST" and not errors:
        device = request.cookies.get(current_app.config["STAFF_DEVICE_COOKIE_NAME"])
        signed_in = authenticate(form.email.data or "", form.password.data or "", device)
        if signed_in is not None:
            sign_in(signed_in.user)
            response = redirect(_safe_next(request.args.get("next")))
            if signed_in.new_device:
                remember_browser(response, signed_in.new_device)
            return response
        form.email.errors = [SIGN_IN_FAILED]
        errors = [{"text": SIGN_IN_FAILED, "href": "#email"}]
    html = render_template(
        "staff/sign_in.html",
        form=form,
        errors=errors,
        timed_out=request.args.get("timed_out") == "1",
        signed_out_now=bool(get_flashed_messages(category_filter=[SIGNED_OUT_NOW])),
        idle_minutes=int(current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds() // 60),
    )
    return (html, 400) if errors else html


def remember_browser(response: Response, token: str) -> None:
    """The device cookie (`devices`): sent only to sign-in, never read by a script."""
    response.set_cookie(
        current_app.config["STAFF_DEVICE_COOKIE_NAME"],
        token,
        max_age=int(devices.LIFETIME.total_seconds()),
        path=url_for("staff.sign_in"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


@blueprint.post("/sign-out", endpoint="sign_out")
def sign_out_page() -> Response:
    sign_out()
    flash("", SIGNED_OUT_NOW)
    return redirect(url_for("staff.sign_in", signed_out="1"))


@blueprint.get("/sign-out", endpoint="sign_out_confirm")
def sign_out_confirm() -> Any:
    """A typed or bookmarked sign-out address: signing out changes state, so it asks for the
    button (a POST with CSRF) instead of acting on a GET; signed-out visitors go to sign-in."""
    if current_staff() is None:
        return redirect(url_for("staff.sign_in"))
    return render_template("staff/sign_out.html")


@blueprint.post("/stay-signed-in")
def stay_signed_in() -> Any:
    """The timeout warning's button: counts as activity, so the idle clock starts again."""
    found = current_session()
    assert found is not None
    sessions.touch(found)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(seconds_left=seconds_left())
    return redirect(_safe_next(request.form.get("next")))


@blueprint.get("/")
def home() -> Any:
    return _home(FindForm(), [])


@blueprint.get("/start")
def start_again() -> Response:
    """A refused start is shown at /staff/start: a reload, bookmark or Back there (a GET) goes
    to the staff home, instead of on to /staff/start/ as if 'start' were a service."""
    return redirect(url_for("staff.home"))


@blueprint.post("/start")
def start() -> Any:
    """Start a service for a caller in one step from the staff home (no channel page)."""
    form = StartForm(request.form)
    service = _catalog().get(form.service.data or "")
    valid = form.validate()
    if valid and service is not None:
        return runner.begin(service, form.contact_channel.data or "")
    if service is None:
        form.service.errors = ["Select a service"]
    return _home(FindForm(), error_summary(form), form)


def _start_form(form: StartForm | None) -> StartForm:
    form = form or StartForm()
    form.service.choices = [
        SelectChoice(s.id, s.title)
        for s in sorted(_catalog().services.values(), key=lambda s: s.title)
    ]
    return form


def _home(find: FindForm, errors: list[dict[str, str]], start_form: StartForm | None = None) -> Any:
    user = current_staff()
    assert user is not None
    query = (
        select(Draft)
        .outerjoin(Submission, Submission.draft_id == Draft.id)
        .where(Draft.channel == "assisted", Submission.id.is_(None), Draft.ended_at.is_(None))
    )
    if not has_role(user, "supervisor"):
        query = query.where((Draft.staff_user_id == user.id) | Draft.staff_user_id.is_(None))
    if (teams_services := callers_services(user)) is not None:  # in a team: its services'
        query = query.where((Draft.staff_user_id == user.id) | Draft.service_id.in_(teams_services))
    drafts = list(db.session.scalars(query.order_by(Draft.updated_at.desc()).limit(100)))
    services = sorted(_catalog().services.values(), key=lambda service: service.title)
    html = render_template(
        "staff/home.html",
        services=services,
        drafts=drafts,
        start_form=_start_form(start_form),
        who=callers.caller_of,
        find=find,
        errors=errors,
        catalog=_catalog(),
        notices=get_flashed_messages(category_filter=["message"]),
        warnings=get_flashed_messages(category_filter=[WARNING]),
    )
    return (html, 400) if errors else html


@blueprint.post("/find")
def find() -> Any:
    """An exact reference opens the draft or sent form; anything else is searched for, at an
    address that names the search, not its words (`web.searches`)."""
    form = FindForm(request.form)
    if not form.validate():
        return _home(form, error_summary(form))
    term = (form.reference.data or "").strip()
    sent = _submission(term)
    if sent is not None and _may_see(sent):
        return redirect(url_for("staff.submission", reference=sent.reference))
    if (held := _draft(term)) is not None:
        if held.submission is None and _may_take_up(held):
            return redirect(url_for("staff.draft", reference=held.reference))
        if held.submission is not None and _may_see(held.submission):
            return redirect(url_for("staff.submission", reference=held.submission.reference))
    named: dict[str, Any] = {SEARCH: searches.token_for(term) or ""}
    return redirect(url_for("staff.results", **named))


@blueprint.get("/find", endpoint="results")
def results_page() -> Any:
    """Drafts and sent forms whose answers match the search this address names (none is a
    result too, not an error). Without one (typed, or bookmarked) it is the staff home's box;
    a search whose session ended says so there."""
    term = searches.searched()
    if term is None:
        if searches.ended(term):
            flash(SEARCH_ENDED, WARNING)
        return redirect(url_for("staff.home"))
    user = current_staff()
    assert user is not None
    within = callers.Within(user.id, callers_services(user))
    found = callers.search(_catalog(), term, within=within)
    return render_template(
        "staff/results.html",
        results=found.found,
        search_token=request.args.get(searches.SEARCH),
        cut_short=found.cut_short,
        term=term,
        find=FindForm(data={"reference": term}),
        catalog=_catalog(),
    )


@blueprint.get("/drafts/<reference>")
def draft(reference: str) -> Any:
    found = _draft(reference)
    if found is None or not _may_take_up(found):
        abort(404)
    if found.submission is not None:
        return redirect(url_for("staff.submission", reference=found.submission.reference))
    user = current_staff()
    assert user is not None
    service = _catalog().get(found.service_id)
    return render_template(
        "staff/draft.html",
        found=found,
        service=service,
        back_url=searches.back_to_results() or url_for("staff.home"),
        caller=callers.caller_of(found),
        may_end=may_end(user, found),
        since=audit.working_since(found),
        ended_by=audit.ended_by(found),
        taken_by_other=held_by_other(user, found),
        trail=audit.trail(found, None) if has_role(user, "supervisor") else None,
        actions=audit.ACTIONS,
        notices=get_flashed_messages(category_filter=["message"]),
        warnings=get_flashed_messages(category_filter=[WARNING]),
    )


def ended_notice(draft: Draft) -> str:
    """Said on the staff home once a call (a visit, a chat, a letter's draft) is ended."""
    name = ended_name(draft.contact_channel)
    finds = "its reference finds it again"
    if name == "draft":
        return f"Draft {draft.reference} ended without sending: {finds}"
    return f"{name.capitalize()} ended. Draft {draft.reference} was not sent: {finds}"


def may_end(user: StaffUser, draft: Draft) -> bool:
    """Whether this member of staff may end the draft's call: their own, or one nobody holds
    (a supervisor: any), not ended already."""
    holder = draft.staff_user_id in (None, user.id) or has_role(user, "supervisor")
    return holder and draft.ended_at is None


@blueprint.post("/drafts/<reference>/<action>")
def draft_action(reference: str, action: str) -> Response:
    found = _draft(reference)
    if found is None or not _may_take_up(found):
        abort(404)
    service = _catalog().get(found.service_id) or abort(404)
    user = current_staff()
    assert user is not None
    if found.submission is not None:
        return redirect(url_for("staff.submission", reference=found.submission.reference))
    if action in ("resume", "take-over"):
        return _take_up(found, service, user, action)
    if action == "pause":
        if found.staff_user_id not in (None, user.id):  # it is not theirs to leave
            flash("Another agent is working on this draft", WARNING)
            return redirect(url_for("staff.draft", reference=found.reference))
        runner.forget(service, found)
        audit.record("paused", user, found)
        flash(f"Draft {found.reference} saved")
        return redirect(url_for("staff.home"))
    if action == "end":
        if not may_end(user, found):  # another agent's, or ended already (a second tab)
            return redirect(url_for("staff.draft", reference=found.reference))
        found.ended_at = utcnow()  # still theirs to find; the call back's agent resumes it
        if runner.holds(service, found):
            runner.forget(service, found)
        audit.record("ended", user, found)
        flash(ended_notice(found))
        return redirect(url_for("staff.home"))
    if action == "hand-back":
        if found.staff_user_id not in (user.id, None) and not has_role(user, "supervisor"):
            abort(403)
        found.staff_user_id = None
        runner.forget(service, found)
        audit.record("handed-back", user, found)
        flash(f"Draft {found.reference} handed back")
        return redirect(url_for("staff.home"))
    abort(404)


def _take_up(found: Draft, service: Service, user: StaffUser, action: str) -> Response:
    """Resume a draft (take it over, if another agent has it) and go on with the call."""
    other = held_by_other(user, found)
    if other and action == "resume":
        flash("Another agent is working on this draft: take it over to go on", WARNING)
        return redirect(url_for("staff.draft", reference=found.reference))
    if found.ended_at is not None or found.staff_user_id is None:
        # a call that was ended, or a draft handed back for any agent: the resident has made
        # contact again, so how, this time? It is taken up once that is answered (until
        # then it stays ended, or handed back: an agent's trial left the page unanswered)
        return redirect(
            url_for(
                "assisted.start",
                service_id=service.id,
                draft="current",
                draft_reference=found.reference,
                resuming="1",
            )
        )
    runner.take_up(service, found)
    journey = runner.journey(service, found)
    return redirect(runner.url(service, typed.resume_step(journey)))


@blueprint.get("/submissions/<reference>")
def submission(reference: str) -> Any:
    found = _submission(reference) or abort(404)
    user = current_staff()
    assert user is not None
    if not _may_see(found):
        abort(404)
    service = _catalog().get(found.service_id)
    audit.record("viewed-submission", user, found.draft, found)  # online ones too
    trail = audit.trail(found.draft, found) if has_role(user, "supervisor") else None
    rows = submitted_rows(service, found.answers) if service else []
    has_case = db.session.get(Case, found.id) is not None and can_see(user, found)
    return render_template(
        "staff/submission.html",
        found=found,
        service=service,
        warnings=get_flashed_messages(category_filter=[WARNING]),
        back_url=searches.back_to_results() or url_for("staff.home"),
        rows=rows,
        case_url=url_for("cases.case", reference=found.reference) if has_case else None,
        trail=trail,
        actions=audit.ACTIONS,
        more_services=sorted(_catalog().services.values(), key=lambda s: s.title),
    )


def _may_see(found: Submission) -> bool:
    """Staff read the sent forms of their callers' services (`cases.callers_services`) and
    the forms they sent themselves."""
    user = current_staff()
    assert user is not None
    return can_read_sent(user, found)


@blueprint.get("/submissions/<reference>/print")
def printable(reference: str) -> Any:
    """A copy to post to the resident: only what they gave, with nothing of the staff side."""
    found = _submission(reference)
    if found is None or not _may_see(found):
        abort(404)
    # in the language the form was filled in (or ?lang=)
    service = _catalog().get(found.service_id) or abort(404)
    service = use_service_language(service, found.language)
    audit.record("printed", current_staff(), found.draft, found)
    rows = [
        row
        for row in submitted_rows(service, found.answers)
        if row.question is None or row.question.audience != "staff"
    ]
    return render_template("staff/print.html", found=found, service=service, rows=rows)


def _may_take_up(found: Draft) -> bool:
    """404 alike for another team's draft and one that does not exist (web/cases.py)."""
    user = current_staff()
    assert user is not None
    return can_take_up(user, found)


def _draft(reference: str) -> Draft | None:
    return by_reference(Draft, reference)


def _submission(reference: str) -> Submission | None:
    return sent_form(reference)
