"""Site settings: the council's name, logo, colours, contact details and footer links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

from service_builder.config import ROOT, ConfigError
from service_builder.definitions.loader import error_from_pydantic
from service_builder.definitions.yaml_source import parse_yaml

Text = Annotated[str, StringConstraints(min_length=1)]
Href = Annotated[str, StringConstraints(pattern=r"^(https?://|/|mailto:|tel:)")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Council(Strict):
    name: Text
    homepage_url: Href
    logo: Text
    logo_alt: Text

    @field_validator("logo")
    @classmethod
    def _svg_exists(cls, value: str) -> str:
        if not value.endswith(".svg"):
            raise ValueError("the logo must be an SVG file")
        if not (ROOT / "static" / value).is_file():
            raise ValueError(f"static/{value} does not exist")
        return value


class Phase(Strict):
    tag: Literal["alpha", "beta", "none"] = "none"
    feedback_url: Href | None = None


class Contact(Strict):
    email: Text
    phone: Text | None = None
    phone_hours: Text | None = None
    address: Text | None = None


class Link(Strict):
    text: Text
    href: Href


class SiteSettings(Strict):
    council: Council
    brand_colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
    font_family: list[Text] = ["arial", "sans-serif"]
    phase: Phase = Phase()
    contact: Contact
    footer_links: list[Link] = []
    cost_per_transaction: dict[
        Literal["online", "phone", "face_to_face", "webchat", "letter_or_email"], float
    ] = {}
    """Pounds each submission costs the council by channel, for the performance pages."""

    @field_validator("font_family")
    @classmethod
    def _not_gds_transport(cls, value: list[str]) -> list[str]:
        if any("transport" in font.lower() for font in value):
            raise ValueError(
                "GDS Transport may only be used on GOV.UK; use Arial or the council's own typeface"
            )
        return value

    @field_validator("brand_colour")
    @classmethod
    def _contrast(cls, value: str) -> str:
        ratio = contrast_with_white(value)
        if ratio < 4.5:
            raise ValueError(
                f"{value} has a contrast of {ratio:.1f}:1 with white text; "
                "it needs at least 4.5:1 (WCAG 1.4.3)"
            )
        return value

    def sass(self) -> str:
        """The brand settings as Sass, for the stylesheet build."""
        fonts = ", ".join(f'"{f}"' if " " in f else f for f in self.font_family)
        return f"$font-family: ({fonts});\n$colour: {self.brand_colour};\n"


def contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def load_site(path: str | Path) -> SiteSettings:
    """Read and check the site settings; a ConfigError lists every problem."""
    path = Path(path)
    try:
        source = parse_yaml(path.read_text(encoding="utf-8"))
        return SiteSettings.model_validate(source.data)
    except OSError as exc:
        raise ConfigError(f"cannot read the site settings {path}: {exc}") from None
    except ValidationError as exc:
        problems = "\n".join(f"  {error_from_pydantic(e, source, str(path))}" for e in exc.errors())
        raise ConfigError(f"the site settings are not valid:\n{problems}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
