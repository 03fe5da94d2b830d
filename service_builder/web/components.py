"""GOV.UK Frontend's component macros, as Jinja globals made once per app, and the Jinja
environment that makes imports cheap.

Templates call `govukButton(...)` without importing it. A `{% from … import %}` runs on every
render (and govuk-frontend-jinja's macros import inside their bodies, so on every call), and
each one compares the importing template's globals with the imported one's: with Jinja's
ChainMap that was a Python-level lookup per global, about a tenth of a page's CPU."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import KeysView, MutableMapping
from pathlib import Path
from typing import Any

import govuk_frontend_jinja
from flask.templating import Environment

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


def register(env: Environment) -> None:
    for component in component_names():
        env.globals[macro_name(component)] = Component(env, component)


class Globals(ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja makes them, with `keys()` as a
    dict's view: `set - keys()` (Jinja's check on each import) then runs in C."""

    def keys(self) -> KeysView[str]:
        return dict.fromkeys(self).keys()


class TemplateEnvironment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> ChainMap[str, Any]:
        return Globals({} if d is None else d, self.globals)
