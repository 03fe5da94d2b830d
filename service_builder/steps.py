"""Steps and their URLs: a step is a page, plus an item for repeat pages; one URL builder.

The runner, check-your-answers' Change links, the explorer, the admin preview and the
accessibility plan all build paths here, so a page's URL is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def step_url(service_id: str, step: Step | str, prefix: str = "", change: bool = False) -> str:
    """The URL of a step: `/{service}/{page}`, `/{service}/{page}/{n}`, `…/{n}/remove`,
    under a mode's prefix (`/staff` for assisted mode); `?change=1` when changing an answer
    from check-your-answers."""
    step = Step(step) if isinstance(step, str) else step
    url = f"{prefix}/{service_id}/{step.path()}"
    return url + "?change=1" if change else url
