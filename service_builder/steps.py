"""Steps and their URLs: a step is a page, plus an item for repeat pages; one URL builder.

The runner, check-your-answers' Change links, the explorer, the admin preview and the
accessibility plan all build paths here, so a page's URL is written down once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

START = "start"
CHECK_ANSWERS = "check-answers"
CONFIRMATION = "confirmation"


@dataclass(frozen=True)
class Step:
    """Where a person is: a page, an item of a repeat page, or that item's remove question.

    `page_id` may also be one of the engine's own pages: start, check-answers, confirmation.
    """

    page_id: str
    item: int | None = None
    """1, 2, … on a repeat page's item pages; None on its list page and on other pages."""
    remove: bool = False

    def path(self) -> str:
        """The step's path below the service's URL."""
        if self.page_id == START:
            return ""
        parts = [self.page_id]
        if self.item is not None:
            parts.append(str(self.item))
            if self.remove:
                parts.append("remove")
        return "/".join(parts)


def step_url(
    service_id: str,
    step: Step | str,
    prefix: str = "",
    change: bool = False,
    query: Mapping[str, str] | None = None,
) -> str:
    """The URL of a step: `/{service}/{page}`, `/{service}/{page}/{n}`, `…/{n}/remove`,
    under a mode's prefix (`/staff` for assisted mode); `?change=1` when changing an answer
    from check-your-answers, then the mode's own `query` (the draft an agent's page names)."""
    step = Step(step) if isinstance(step, str) else step
    url = f"{prefix}/{service_id}/{step.path()}"
    pairs = {**({"change": "1"} if change else {}), **(query or {})}
    return f"{url}?{urlencode(pairs)}" if pairs else url
