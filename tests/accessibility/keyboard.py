"""Completing forms with the keyboard alone: Tab, Space, arrow keys, typing and Enter."""

from __future__ import annotations

import base64
from typing import Any

from accessibility.plan import FILE_FIELD

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
          value: el.value || '', checked: !!el.checked, text: el.textContent.trim(),
          classes: el.className || ''};
}"""
MAX_TABS = 80


def tab_to(page: Any, wanted: Any) -> dict[str, Any]:
    """Press Tab until `wanted(focused)` holds; fails after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element on {page.url}")


def choose_file(page: Any, name: str, value: str) -> bool:
    """Give a file input the file a sweep field names (`sb-file:…`); False for other fields."""
    if not value.startswith(FILE_FIELD):
        return False
    repeat, filename, content = value[len(FILE_FIELD) :].split(":", 2)
    data = base64.b64decode(content) * int(repeat)
    page.set_input_files(
        f'input[name="{name}"]',
        files=[{"name": filename, "mimeType": "application/octet-stream", "buffer": data}],
    )
    return True


def fill_page(page: Any, fields: list[tuple[str, str]]) -> None:
    """Fill the form fields in tab order, then press Enter on the page's main button."""
    wanted: dict[str, list[str]] = {}
    for name, value in fields:
        if not choose_file(page, name, value):  # a file is chosen in the system's own dialog
            wanted.setdefault(name, []).append(value)
    done: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el is None:
            continue
        if (
            el["tag"] == "button"
            and "govuk-button" in el["classes"]
            and "govuk-button--secondary" not in el["classes"]
        ):
            missing = set(wanted) - done
            assert not missing, f"{page.url}: Tab reached the button before {missing}"
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        name = el["name"]
        if name in wanted and (name not in done or el["type"] == "checkbox"):
            _answer(page, el, wanted[name])
            done.add(name)
    raise AssertionError(f"Tab never reached the Continue button on {page.url}")


def _answer(page: Any, el: dict[str, Any], values: list[str]) -> None:
    if el["type"] == "radio":
        for _ in range(20):  # Space selects; arrow keys move and select within the group
            if el["checked"] and el["value"] == values[0]:
                return
            page.keyboard.press("Space" if not el["checked"] else "ArrowDown")
            el = page.evaluate(FOCUSED)
        raise AssertionError(f"could not select {values[0]} with the arrow keys")
    if el["type"] == "checkbox":
        if (el["value"] in values) != el["checked"]:
            page.keyboard.press("Space")
    elif el["tag"] == "select":
        for _ in range(30):
            if page.evaluate("() => document.activeElement.value") == values[0]:
                return
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(values[0])


def press_button(page: Any, text: str) -> None:
    tab_to(page, lambda el: el["text"] == text and "govuk-button" in el["classes"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
