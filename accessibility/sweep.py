"""Runs a plan of page states in one browser page and checks each state.

The checks are the same whichever runner drives the browser (Selenium for the CLI,
Playwright for pytest): they run as JavaScript in the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Protocol

from accessibility.config import axe_options, pinned_axe_version
from accessibility.plan import Action, Fields
from accessibility.report import CheckedState, SweepResult

PAGE_HEALTH = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const failed = performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/assets/') && (e.responseStatus >= 400))
    .map(e => e.name + ' ' + e.responseStatus);
  const container = document.querySelector('.govuk-width-container');
  const modules = [...document.querySelectorAll('[data-module]')]
    .filter(el => !el.hasAttribute('data-' + el.dataset.module + '-init'))
    .map(el => el.dataset.module);
  return {
    status: nav ? nav.responseStatus : null,
    supported: document.body.classList.contains('govuk-frontend-supported'),
    axe: window.axe ? window.axe.version : null,
    failedAssets: failed,
    govukCss: !!container && getComputedStyle(container).maxWidth === '960px',
    uninitialised: modules,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""

TEXT_SPACING = """() => {
  const style = document.createElement('style');
  style.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important;' +
    ' word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
  document.head.appendChild(style);
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.govuk-visually-hidden, .govuk-skip-link')) continue;
    if (el.matches('input, textarea, select')) continue;  // their text scrolls inside them
    const cs = getComputedStyle(el);
    const hides = v => v === 'hidden' || v === 'clip';
    if (!hides(cs.overflowX) && !hides(cs.overflowY)) continue;
    if (el.clientWidth === 0 || el.clientHeight === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      clipped.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
  }
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  style.remove();
  return {clipped, overflow};
}"""

# A field value `sb-file:{repeat}:{name}:{base64}` (accessibility/plan.py) is a file upload.
FILE_VALUE = """const fileOf = (value) => {
  const [, repeat, name, ...rest] = value.split(':');
  const bytes = Uint8Array.from(atob(rest.join(':')), (c) => c.charCodeAt(0));
  return new File(Array(Number(repeat)).fill(bytes), name);
};
const isFile = (value) => value.startsWith('sb-file:');
"""

SUBMIT_FORM = (
    """([action, fields]) => {
  """
    + FILE_VALUE
    + """
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  for (const [name, value] of fields) {
    const input = document.createElement('input');
    input.name = name;
    if (isFile(value)) {
      const files = new DataTransfer();
      files.items.add(fileOf(value));
      input.type = 'file'; input.files = files.files;
      form.enctype = 'multipart/form-data';
    } else {
      input.type = 'hidden'; input.value = value;
    }
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""
)

FETCH_POST = (
    """async ([action, fields]) => {
  """
    + FILE_VALUE
    + """
  const multipart = fields.some(([, value]) => isFile(value));
  const body = multipart ? new FormData() : new URLSearchParams();
  for (const [name, value] of fields) {
    if (isFile(value)) body.append(name, fileOf(value));
    else body.append(name, value);
  }
  const response = await fetch(action, {method: 'POST', body, redirect: 'manual',
                                        credentials: 'same-origin'});
  return response.type === 'opaqueredirect' ? 302 : response.status;
}"""
)


class Driver(Protocol):
    """What a runner must offer: one reused browser page."""

    def reset(self, base: str) -> None: ...
    def get(self, url: str) -> None: ...
    def submit(self, url: str, fields: Fields) -> None: ...
    def evaluate(self, script: str, arg: Any = None) -> Any: ...
    def axe(self, options: dict[str, Any]) -> dict[str, Any]: ...
    def current_url(self) -> str: ...
    def resize(self, width: int) -> None: ...


class PlanError(AssertionError):
    """The browser could not follow the plan: the journey did not go where it should."""


def run_plan(
    driver: Driver,
    base: str,
    actions: Iterable[Action],
    result: SweepResult,
    text_spacing: bool = True,
) -> None:
    pinned = pinned_axe_version()
    options = axe_options()
    for action in actions:
        url = base + action.url
        if action.kind == "reset":
            driver.reset(base)
            continue
        if action.kind == "resize":
            driver.resize(action.width)
            continue
        if action.kind == "get":
            driver.get(url)
        elif action.kind == "submit":
            driver.submit(url, action.fields)
        elif action.kind in ("fetch", "sign-in"):
            status = driver.evaluate(FETCH_POST, [url, [list(f) for f in action.fields]])
            if action.expect_status and status != action.expect_status:
                raise PlanError(
                    f"POST {action.url} answered {status}, expected {action.expect_status}"
                )
        if action.check is None:
            continue
        problems = _health(driver, action, pinned)
        results = driver.axe(options)
        if text_spacing:
            spacing = driver.evaluate(TEXT_SPACING)
            problems += [f"text spacing (WCAG 1.4.12) clips {el}" for el in spacing["clipped"]]
            if spacing["overflow"] > 0:
                problems.append("text spacing (WCAG 1.4.12) makes the page scroll sideways")
        result.checked.append(
            CheckedState(action.check, driver.current_url(), results["violations"], problems)
        )


def _health(driver: Driver, action: Action, pinned: str) -> list[str]:
    health = driver.evaluate(PAGE_HEALTH)
    expected = action.expect_status or 200
    problems = []
    if health["status"] not in (expected, 0, None):
        problems.append(f"answered HTTP {health['status']}, expected {expected}")
    if health["axe"] != pinned:
        problems.append(f"axe-core in the page is {health['axe']}, not the pinned {pinned}")
    if not health["supported"]:
        problems.append("<body> lacks govuk-frontend-supported")
    if not health["govukCss"]:
        problems.append("the GOV.UK stylesheet did not apply")
    problems += [f"asset failed to load: {asset}" for asset in health["failedAssets"]]
    problems += [f"GOV.UK component not initialised: {m}" for m in health["uninitialised"]]
    if health["overflow"] > 0:
        problems.append(f"scrolls sideways by {health['overflow']}px (WCAG 1.4.10)")
    return problems


def timed(result: SweepResult, started: float) -> SweepResult:
    result.seconds = time.perf_counter() - started
    return result
