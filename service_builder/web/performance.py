"""The performance pages for supervisors and admins: one service's figures, and an overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from wtforms import Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Optional, ValidationError

from service_builder import search_terms
from service_builder.definitions import Service
from service_builder.models import utcnow
from service_builder.performance import dashboard
from service_builder.performance.charts import bar_chart
from service_builder.performance.stats import Window, seconds_at, stats, window
from service_builder.staff.auth import require_role
from service_builder.web.forms import error_summary, govuk_params

blueprint = Blueprint("performance", __name__, url_prefix="/admin")
blueprint.before_request(require_role("supervisor"))
CHANNEL_LABELS = {"all": "All channels", "online": "Online", "assisted": "Assisted (staff)"}
RANGE_REFUSED = "The date in From must be the same as or before the date in To"


def _date(form: Form, field: StringField) -> None:
    """A date as staff write it (`search_terms.date_parts`: 1/11/2026, 1 November 2026); ISO
    dates (2026-11-01), as the page's own links have them, are read too."""
    try:
        parts = search_terms.date_parts(field.data)
        if parts is None:
            raise ValueError
        field.parsed = dt.date(*parts)
    except ValueError:
        raise ValidationError(
            f"The date in {field.label.text} must be a real date, like 1/11/2026"
        ) from None


class FilterForm(Form):
    since = StringField("From", [Optional(), _date])
    until = StringField("To", [Optional(), _date])
    channel = SelectField(
        "Channel",
        choices=[SelectChoice(v, t) for v, t in CHANNEL_LABELS.items()],
        default="all",
        validators=[AnyOf(list(CHANNEL_LABELS), message="Select a channel from the list")],
        validate_choice=False,
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        since = getattr(self.since, "parsed", None) if not self.since.errors else None
        until = getattr(self.until, "parsed", None) if not self.until.errors else None
        today = utcnow().date()
        if until and until > today:  # nothing is counted yet (and 9999-12-31 has no day after)
            self.until.errors = ["The date in To must be today or before"]
            return False
        if since and since > (until or today):
            self.since.errors = [
                RANGE_REFUSED if until else "The date in From must be today or before"
            ]
            return False
        return valid

    def window(self, service_id: str) -> Window:
        def date(field: StringField) -> dt.date | None:
            return getattr(field, "parsed", None) if not field.errors else None

        return window(service_id, date(self.since), date(self.until))


def _catalog() -> Any:
    return current_app.extensions["service_builder"].catalog


def _filters() -> FilterForm:
    form = FilterForm(request.args)
    form.validate()
    if form.channel.errors:
        form.channel.data = "all"
    return form


def _params(form: FilterForm) -> dict[str, Any]:
    hint = {"text": "For example, 1/11/2026"}
    return {
        "since": govuk_params(form.since, hint=hint, classes="govuk-input--width-10"),
        "until": govuk_params(form.until, hint=hint, classes="govuk-input--width-10"),
        "channel": govuk_params(form.channel)
        | {
            "items": [
                {"value": v, "text": t, "selected": form.channel.data == v}
                for v, t in CHANNEL_LABELS.items()
            ]
        },
    }


@blueprint.get("/services/<service_id>/performance")
def service(service_id: str) -> tuple[str, int] | str:
    found: Service = _catalog().get(service_id) or abort(404)
    form = _filters()
    win = form.window(found.id)
    channel = form.channel.data if form.channel.data in ("online", "assisted") else None
    figures = stats(found, win)
    numbers = figures["by_channel"][channel or "all"]
    median = numbers["median_seconds_to_submit"] if numbers["submitted"] else None
    p90 = seconds_at(win, channel, 0.9)
    costs = _catalog_site().cost_per_transaction
    weeks = dashboard.weekly(win, channel)
    pages = numbers["pages"]
    html = render_template(
        "admin/performance.html",
        service=found,
        form=form,
        params=_params(form),
        errors=error_summary(form),
        win=win,
        channel_label=CHANNEL_LABELS[channel or "all"],
        figures=figures,
        numbers=numbers,
        satisfaction_rate=dashboard.satisfaction_rate(numbers["satisfaction"]),
        cost=dashboard.cost_per_transaction(dashboard.submissions_by_contact(win, channel), costs),
        median=median,
        p90=p90,
        hotspots=dashboard.hotspots(
            found, numbers["validation_errors"], _catalog().files.get(found.id)
        ),
        weeks=weeks,
        comments=dashboard.comments(win),
        page_names=page_names(found),
        funnel_chart=bar_chart(
            "funnel",
            "Drafts that reached each page, and that were last seen there",
            [page["page"] for page in pages],
            {
                "Reached": [page["reached"] for page in pages],
                "Last seen here": [page["last_seen_here"] for page in pages],
            },
        ),
        trend_chart=bar_chart(
            "trend",
            "Drafts started and forms sent, week by week",
            [week.monday.strftime("%-d %b %Y") for week in weeks],
            {
                "Started": [week.started for week in weeks],
                "Sent": [week.submitted for week in weeks],
            },
        ),
    )
    return (html, 400) if form.errors else html


def page_names(service: Service) -> dict[str, str]:
    """Each page's heading as people see it, with the id the chart and the events use."""
    return {
        page.id: page.id if page.heading == page.id else f"{page.heading} ({page.id})"
        for page in service.pages
    }


def _catalog_site() -> Any:
    return current_app.extensions["service_builder"].site


@blueprint.get("/performance")
def overview() -> tuple[str, int] | str:
    """Every service ranked by completion rate, then digital take-up."""
    form = _filters()
    rows = []
    for found in _catalog().services.values():
        figures = stats(found, form.window(found.id))
        numbers = figures["by_channel"]["all"]
        rows.append((found, numbers, figures["digital_take_up"]))
    rows.sort(key=lambda row: (-row[1]["completion_rate"], -row[2], row[0].title))
    html = render_template(
        "admin/performance_overview.html",
        rows=rows,
        form=form,
        params=_params(form),
        errors=error_summary(form),
        chart=bar_chart(
            "ranking",
            "Completion rate and digital take-up by service, in per cent",
            [row[0].title for row in rows],
            {
                "Completion rate": [round(100 * row[1]["completion_rate"], 1) for row in rows],
                "Digital take-up": [  # none sent: no take-up, a dash as in the table
                    round(100 * row[2], 1) if row[1]["submitted"] else None for row in rows
                ],
            },
            unit="%",
        ),
    )
    return (html, 400) if form.errors else html


@blueprint.get("/services/<service_id>/definition")
def definition(service_id: str) -> str:
    """The definition file with numbered lines, so hotspots can link to a question's line."""
    found: Service = _catalog().get(service_id) or abort(404)
    path = _catalog().files.get(found.id) or abort(404)
    lines = path.read_text(encoding="utf-8").splitlines()
    return render_template("admin/definition.html", service=found, file=path, lines=lines)
