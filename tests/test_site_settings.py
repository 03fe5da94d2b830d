"""The council's site settings: one file, checked at start-up with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from service_builder.config import ROOT, ConfigError
from service_builder.site import contrast_with_white, load_site

GOOD = (ROOT / "config" / "site.yaml").read_text()


def refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    return str(caught.value)


def test_the_example_settings_load() -> None:
    site = load_site(ROOT / "config" / "site.yaml")
    assert site.council.name == "Aldermoor District Council"
    assert "$colour: #00625e;" in site.sass()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('brand_colour: "#00625e"', 'brand_colour: "#ffdd00"'),
            "brand_colour: #ffdd00 has a contrast of 1.3:1 with white text",
        ),
        (
            ('brand_colour: "#00625e"', "brand_colour: teal"),
            "brand_colour: must be a colour written as # and six hex digits",
        ),
        (
            ("font_family: [arial, sans-serif]", "font_family: [GDS Transport, arial]"),
            "GDS Transport may only be used on GOV.UK",
        ),
        (
            ("logo: brand/logo.svg", "logo: brand/missing.svg"),
            "static/brand/missing.svg does not exist",
        ),
        (("logo: brand/logo.svg", "logo: brand/logo.png"), "the logo must be an SVG file"),
        (("  name: Aldermoor District Council\n", ""), "council.name: missing required key 'name'"),
        (("phase:\n  tag: beta", "phase:\n  tag: gamma"), "phase.tag:"),
        (("footer_links:", "footer_linkz:"), "footer_linkz: unknown key"),
    ],
)
def test_bad_settings_are_refused_with_the_key_and_line(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    assert change[0] in GOOD
    error = refused(tmp_path, GOOD.replace(*change))
    assert error.startswith("the site settings are not valid:")
    assert message in error
    assert f"{tmp_path / 'site.yaml'}:" in error


def test_contrast_is_computed_as_wcag_does() -> None:
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#1d70b8"), 1) == 5.2
