"""GOV.UK Frontend's component macros, as Jinja globals made once per app, and the Jinja
environment that makes imports cheap.

Templates call `govukButton(...)` without importing it. A `{% from … import %}` runs on every
render (and govuk-frontend-jinja's macros import inside their bodies, so on every call), and
each one compares the importing template's globals with the imported one's: with Jinja's
ChainMap that was a Python-level lookup per global, about a tenth of a page's CPU.

The page's chrome (the skip link, header, service navigation, phase banner, Back link and
buttons) is the same on page after page, and a macro's HTML depends only on its parameters:
those components keep what they rendered, by parameters (`Remembered`), and render again
only for parameters they have not seen. None of them shows an answer. The text fields do
(an input, a textarea, a date): they keep what they rendered with the answers left out, and
put them in on each call (`WithTheAnswersLeftOut`), so a question page renders its field's
macro once, not on every request."""

from __future__ import annotations

import re
import secrets
from collections import ChainMap
from collections.abc import KeysView, MutableMapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import govuk_frontend_jinja
from flask.templating import Environment
from markupsafe import Markup, escape

COMPONENTS = Path(govuk_frontend_jinja.__file__).resolve().parent / "templates" / "components"


def macro_name(component: str) -> str:
    """`summary-list` → `govukSummaryList`, as govuk-frontend-jinja names its macros."""
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


def component_names() -> list[str]:
    return sorted(path.parent.name for path in COMPONENTS.glob("*/macro.html"))


class Component:
    """One component's macro, compiled on its first call: compiling all of them for every app
    made (including every test's app) cost half a second."""

    def __init__(self, env: Environment, component: str) -> None:
        self.env, self.component, self.name = env, component, macro_name(component)
        self.macro: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.macro is None:
            path = f"govuk_frontend_jinja/components/{self.component}/macro.html"
            self.macro = getattr(self.env.get_template(path).module, self.name)
        return self.macro(*args, **kwargs)


class Remembered(Component):
    """A chrome component: its HTML kept by parameters, a few hundred at most."""

    LIMIT = 500

    def __init__(self, env: Environment, component: str) -> None:
        super().__init__(env, component)
        self.rendered: dict[Any, Any] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:  # a `caller` (a call block): its body may hold anything
            return super().__call__(*args, **kwargs)
        key = frozen(args)
        try:
            html = self.rendered.get(key)
        except TypeError:  # a parameter that is not plain data: render it, keep nothing
            return super().__call__(*args)
        if html is None:
            if len(self.rendered) >= self.LIMIT:
                self.rendered.clear()
            html = self.rendered[key] = super().__call__(*args)
        return html


class WithTheAnswersLeftOut(Remembered):
    """A field that shows answers as text (`TEXT_FIELDS`): its HTML kept by its parameters
    with each answer left out (a numbered stand-in that escaping leaves as it is), and the
    answers put back in, escaped, where the macro wrote their stand-ins. What is kept never
    holds an answer. A field with an error message (it may quote what was typed), or with an
    answer that is not text, renders afresh."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        params = args[0] if len(args) == 1 and not kwargs else None
        left_out = leave_out_answers(params) if isinstance(params, dict) else None
        if left_out is None:
            return Component.__call__(self, *args, **kwargs)
        blank, answers = left_out
        html = str(super().__call__(blank))
        return Markup(_HOLE.sub(lambda hole: escape(answers[int(hole[1])]), html))


_TOKEN = secrets.token_hex(8)
_HOLE = re.compile(f"\x00([0-9]+)-{_TOKEN}\x00")
"""An answer's stand-in: a NUL is refused in every input, and no one can guess the token."""


def leave_out_answers(params: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | None:
    """`params` with each answer (a `value`, or a date's items' `value`s) replaced by its
    stand-in, and the answers in order; None for a field with an error message or an answer
    that is not text (rendered afresh)."""
    if params.get("errorMessage"):
        return None
    answers: list[str] = []

    def hole(answer: Any) -> Any:
        if answer is None:
            return None  # no answer: no `value` attribute at all
        if type(answer) is not str:
            raise TypeError
        answers.append(answer)
        return f"\x00{len(answers) - 1}-{_TOKEN}\x00"

    try:
        blank = {**params}
        if "value" in params:
            blank["value"] = hole(params["value"])
        if isinstance(params.get("items"), list):
            blank["items"] = [
                {**item, "value": hole(item.get("value"))} if isinstance(item, dict) else item
                for item in params["items"]
            ]
    except TypeError:
        return None
    return blank, answers


CHROME = {
    "skip-link",
    "generic-header",
    "service-navigation",
    "phase-banner",
    "back-link",
    "button",
}
"""Components whose parameters never hold an answer (a question's field may: never kept)."""


def frozen(value: Any) -> Any:
    """A hashable twin of macro parameters that tells HTML (`Markup`, equal to the same text
    as a `str`) from text."""
    if isinstance(value, dict):
        return tuple((key, frozen(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return (list, *(frozen(item) for item in value))
    if isinstance(value, Markup):
        return (Markup, str(value))
    return value


TEXT_FIELDS = {"input", "textarea", "character-count", "date-input"}
"""Components that show answers as text: kept with the answers left out."""


def register(env: Environment) -> None:
    for component in component_names():
        kind = (
            Remembered
            if component in CHROME
            else WithTheAnswersLeftOut
            if component in TEXT_FIELDS
            else Component
        )
        env.globals[macro_name(component)] = kind(env, component)
    # govuk-frontend-jinja's page template imports its skip link and service navigation
    # itself, and its imports hide the globals of the same names in every block: the
    # layout calls the remembered ones as `chrome.govukSkipLink(…)`
    env.globals["chrome"] = SimpleNamespace(
        **{macro_name(component): env.globals[macro_name(component)] for component in CHROME}
    )


class Globals(ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja makes them, with `keys()` as a
    dict's view: `set - keys()` (Jinja's check on each import) then runs in C."""

    def keys(self) -> KeysView[str]:
        return dict.fromkeys(self).keys()


class TemplateEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> ChainMap[str, Any]:
        return Globals({} if d is None else d, self.globals)
