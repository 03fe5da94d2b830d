"""The two ways of driving the one reused browser page: Playwright (pytest) and Selenium (CLI)."""

from __future__ import annotations

import json
from typing import Any

from accessibility.config import (
    AXE_JS,
    CHROMEDRIVER,
    CHROMIUM,
    KEEP_OFF_THE_NETWORK,
    MOBILE_WIDTH,
)
from accessibility.plan import Fields
from accessibility.sweep import SUBMIT_FORM


def _pairs(fields: Fields) -> list[list[str]]:
    return [list(pair) for pair in fields]


class PlaywrightDriver:
    """Wraps a Playwright page whose context adds axe-core to every document."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def reset(self, base: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(f"{base}/healthz")

    def get(self, url: str) -> None:
        self.page.goto(url)

    def submit(self, url: str, fields: Fields) -> None:
        with self.page.expect_navigation():
            self.page.evaluate(SUBMIT_FORM, [url, _pairs(fields)])

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def axe(self, options: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate("o => axe.run(document, o)", options)
        return result

    def current_url(self) -> str:
        return str(self.page.url)

    def resize(self, width: int) -> None:
        self.page.set_viewport_size({"width": width, "height": 900})


class SeleniumDriver:
    """Wraps one Selenium Chrome session (Debian chromium + chromedriver), axe via
    axe-selenium-python with the npm axe-core, never the 2018 copy it bundles."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            KEEP_OFF_THE_NETWORK,
        ):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.set_script_timeout(60)
        self.resize(MOBILE_WIDTH)

    def resize(self, width: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )

    def close(self) -> None:
        self.driver.quit()

    def _inject(self) -> None:
        from axe_selenium_python import Axe

        if not self.driver.execute_script("return !!window.axe"):
            Axe(self.driver, script_url=str(AXE_JS)).inject()

    def reset(self, base: str) -> None:
        self.driver.get(f"{base}/healthz")
        self.driver.delete_all_cookies()

    def get(self, url: str) -> None:
        self.driver.get(url)
        self._inject()

    def submit(self, url: str, fields: Fields) -> None:
        from selenium.webdriver.support.wait import WebDriverWait

        self.driver.execute_script("window.__sweepOldPage = true;")
        self.driver.execute_script(f"({SUBMIT_FORM})(arguments[0])", [url, _pairs(fields)])
        WebDriverWait(self.driver, 30).until(
            lambda d: d.execute_script(
                "return window.__sweepOldPage === undefined && document.readyState === 'complete'"
            )
        )
        self._inject()

    def evaluate(self, script: str, arg: Any = None) -> Any:
        if script.lstrip().startswith("async"):
            return self.driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                f"({script})(arguments[0]).then(done, e => done('error: ' + e));",
                arg,
            )
        return self.driver.execute_script(f"return ({script})(arguments[0]);", arg)

    def axe(self, options: dict[str, Any]) -> dict[str, Any]:
        from axe_selenium_python import Axe

        self._inject()
        result: dict[str, Any] = Axe(self.driver, script_url=str(AXE_JS)).run(
            options=json.dumps(options)
        )  # pasted into JavaScript as text, so JSON
        return result

    def current_url(self) -> str:
        return str(self.driver.current_url)
