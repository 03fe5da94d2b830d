"""One-off notification banners: a view flashes one, the page it concerns shows it once.

Flask's message flashing carries a banner across the redirect (post/redirect/get), without
JavaScript, and a refresh does not show it again. The flashed message names the banner; its
category says where it belongs, a runner's pages of one service or just one of them. Every
page reads the flashed messages through `here()` (`templates/notification_banners.html`),
and a banner meant for another page is flashed again for it: a staff page, a preview or
another service's page neither shows nor uses up a resident's banner. Flask's default
category is the staff pages' own notices, shown by those pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from flask import Flask, flash, get_flashed_messages, request

from service_builder.messages import N_

CATEGORY = "banner:"
"""How the category of a flashed banner starts; the place follows."""
TAKEN = "service_builder.banners"
"""The environ key under which a request keeps its page's banners, taken on the first ask."""


@dataclass(frozen=True)
class Banner:
    """A GOV.UK success banner's words, as catalogue msgids: shown in the language of the page
    it lands on (the request that flashed it may not have known it)."""

    name: str
    heading: str
    body: str = ""
    important: bool = False
    """An 'Important' banner (something the person needs to know), not a 'Success' one."""


FILE_REMOVED = Banner("file-removed", N_("File removed"))
ANSWERS_KEPT = Banner(
    "answers-kept", N_("We have kept your answers"), N_("You can carry on where you left off.")
)
ITEM_REMOVED = Banner("item-removed", N_("Removed from your list"))
LIST_CHANGED = Banner(
    "list-changed",
    N_("Your list changed in another tab or window"),
    N_("Nothing was changed from the page you were on. Check the list, then try again."),
    important=True,
)
ROUTE_CHANGED = Banner(
    "route-changed",
    N_("Your answers have changed in another tab or window"),
    N_("Nothing has been sent. Answer this question, then check your answers again."),
    important=True,
)
BANNERS = {
    banner.name: banner
    for banner in (FILE_REMOVED, ANSWERS_KEPT, ITEM_REMOVED, LIST_CHANGED, ROUTE_CHANGED)
}


def place(blueprint: str, service_id: str, page_id: str | None = None) -> str:
    """Where a banner shows: the blueprint's pages of the service, or only one of them."""
    return "/".join([blueprint, service_id, *([page_id] if page_id else [])])


def show(banner: Banner, where: str) -> None:
    """Flash the banner for the next page shown at `where` (a `place`)."""
    flash(banner.name, CATEGORY + where)


def here() -> list[Banner]:
    """The banners flashed for this page, taken once per request; the others stay flashed."""
    if TAKEN not in request.environ:  # not `g`: a test's app context outlives its requests
        request.environ[TAKEN] = _sort_out()
    return list(request.environ[TAKEN])


def _sort_out() -> list[Banner]:
    if request.endpoint == "staff.sign_in":
        return []  # takes nothing: an agent's notice waits for the page after sign-in
    places = _places_here()
    shown = []
    flashed = cast(list[tuple[str, str]], get_flashed_messages(with_categories=True))
    for category, name in flashed:
        if not category.startswith(CATEGORY) or name not in BANNERS:
            continue  # a staff notice: its page shows it
        if category.removeprefix(CATEGORY) in places:
            if BANNERS[name] not in shown:  # flashed twice (two stale forms): said once
                shown.append(BANNERS[name])
        else:
            flash(name, category)  # not this page's: kept for the page it concerns
    return shown


def _places_here() -> set[str]:
    """The places this request is: none but for the GET of a service's page (a page shown
    again with its errors, after a POST, is not where a banner belongs)."""
    service_id = (request.view_args or {}).get("service_id")
    if request.method != "GET" or not request.blueprint or not isinstance(service_id, str):
        return set()
    page_id = (request.view_args or {}).get("page_id")
    return {place(request.blueprint, service_id), place(request.blueprint, service_id, page_id)}


def register(app: Flask) -> None:
    app.jinja_env.globals["notification_banners"] = here
