"""Imports that emit the engine's v2 features: repeat pages, Welsh, Notify and webhooks.

File uploads are reported as not imported: the engine has no file question in this release.
Every v2 import must pass `validate` on this engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from service_builder.cli import main
from service_builder.definitions import load_definition
from tests.importers.helpers import FIXTURES, V2_FIXTURES, imported

PROBES: dict[str, str] = {
    "languages with {en, cy} texts": """
id: probe-languages
title: {en: Probe, cy: Profi}
languages: [en, cy]
pages:
  - id: one
    questions:
      - {id: one, type: text, label: {en: Name, cy: Enw}}
""",
    "repeat pages": """
id: probe-repeat
title: Probe
pages:
  - id: things
    type: repeat
    title: Things
    item_name: thing
    min_items: 1
    max_items: 3
    questions:
      - {id: thing, type: text, label: Thing}
""",
    "notify and webhooks": """
id: probe-notify
title: Probe
pages:
  - id: one
    questions:
      - {id: email, type: email, label: Email}
notify:
  email_question: email
  confirmation_template: 4f1c0000-0000-4000-8000-000000000000
webhooks:
  - {url_env: PROBE_URL, secret_env: PROBE_SECRET}
""",
}


def missing_engine_features(folder: Path) -> list[str]:
    """The v2 features the engine on this branch does not accept yet (by trying each)."""
    missing: list[str] = []
    for feature, text in PROBES.items():
        probe = folder / f"probe-{len(missing)}-{feature.split()[0]}.yaml"
        probe.write_text(text, encoding="utf-8")
        if load_definition(probe).errors:
            missing.append(feature)
    return missing


def _page(service: dict[str, Any], page_id: str) -> dict[str, Any]:
    return next(page for page in service["pages"] if page["id"] == page_id)


# -- the shape of what is written (engine support not needed) ---------------------------------


def test_xgov_welsh_repeat_notify_webhook_and_file() -> None:
    result = imported("xgov", "xgov-v2-pet-shop.json")
    service = yaml.safe_load(result.yaml())
    assert service["id"] == "apply-for-a-pet-shop-licence"
    assert service["languages"] == ["en", "cy"]
    assert service["title"] == {
        "en": "Apply for a pet shop licence",
        "cy": "Gwneud cais am drwydded siop anifeiliaid anwes",
    }
    animals = _page(service, "animals")
    assert animals["type"] == "repeat" and animals["max_items"] == 10
    assert animals["questions"][0]["options"][0] == {
        "value": "dogs",
        "label": {"en": "Dogs", "cy": "Cŵn"},
    }
    assert service["notify"] == {
        "email_question": "owner_email",
        "confirmation_template": "5f0c2d1e-0000-4000-8000-00000000aaaa",
    }
    assert service["webhooks"] == [
        {"url_env": "PET_SHOP_LICENCE_WEBHOOK_URL", "secret_env": "PET_SHOP_LICENCE_WEBHOOK_SECRET"}
    ]
    plan = _page(service, "plan")  # it only asks for a file: now a file question
    assert [q["type"] for q in plan["questions"]] == ["file"]
    text = result.yaml()
    assert "secret-token" not in text and "test-key" not in text and "cases.example" not in text
    reasons = {note.path: note.reason for note in result.notes}
    assert "NOTIFY_API_KEY" in reasons["outputs[0].outputConfiguration.apiKey"]
    assert "PET_SHOP_LICENCE_WEBHOOK_URL" in reasons["outputs[1].outputConfiguration.url"]
    assert "English text is used" in reasons["pages[1].item_name"]
    assert not [reason for reason in reasons.values() if "file" in reason.lower()]


def _texts(value: Any, found: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every text of a definition; a label, hint, title, body or item name must be {en, cy}."""
    if isinstance(value, dict) and set(value) == {"en", "cy"}:
        found.append(value)
    elif isinstance(value, dict):
        for key, child in value.items():
            if key in ("label", "hint", "title", "body", "item_name"):
                assert isinstance(child, dict), (key, child)
            _texts(child, found)
    elif isinstance(value, list):
        for item in value:
            _texts(item, found)
    return found


@pytest.mark.parametrize(("platform", "name"), V2_FIXTURES)
def test_every_text_of_a_welsh_import_has_both_languages(platform: str, name: str) -> None:
    texts = _texts(yaml.safe_load(imported(platform, name).yaml()), [])
    assert texts and all(text["en"] and text["cy"] for text in texts)


def test_defra_repeat_page_and_welsh_from_metadata_translations() -> None:
    result = imported("defra", "defra-v2-hedgerow.json")
    service = yaml.safe_load(result.yaml())
    assert service["languages"] == ["en", "cy"]
    sections = _page(service, "sections")
    assert (sections["type"], sections["min_items"], sections["max_items"]) == ("repeat", 1, 50)
    assert sections["item_name"] == {"en": "section", "cy": "rhan"}
    assert sections["title"] == {"en": "Hedgerow sections", "cy": "Rhannau o'r gwrych"}
    assert [q["id"] for q in sections["questions"]] == ["section_length", "hedge_kind"]
    assert sections["questions"][1]["options"][1]["label"]["cy"] == "Cymysg brodorol"
    assert "at most 50" in {n.path: n.reason for n in result.notes}["pages[1].repeat.schema.max"]


def test_govuk_forms_welsh_repeatable_answers_and_files() -> None:
    result = imported("govuk-forms", "govuk-forms-v2-parking.json")
    service = yaml.safe_load(result.yaml())
    assert service["languages"] == ["en", "cy"]
    assert service["title"]["cy"] == "Apelio yn erbyn dirwy parcio"
    vehicles = next(page for page in service["pages"] if page.get("type") == "repeat")
    assert vehicles["max_items"] == 50 and vehicles["item_name"] == {"en": "answer", "cy": "ateb"}
    reasons = service["pages"][1]["questions"][0]["options"]
    assert reasons[1]["label"] == {"en": "I had a permit", "cy": "Roedd gen i drwydded"}
    types = [q["type"] for page in service["pages"] for q in page.get("questions", [])]
    assert "file" in types
    assert not [note for note in result.notes if "answer_type" in note.path]
    assert service["declaration"]["cy"] == "Mae'r wybodaeth a roddais yn wir."


# -- the engine accepts it --------------------------------------------------------------------


def test_the_engine_accepts_every_v2_feature_imports_emit(tmp_path: Path) -> None:
    missing = missing_engine_features(tmp_path)
    if missing:
        pytest.fail(
            f"the engine lacks {', '.join(missing)}: imports emit them as "
            "form-definitions-v2.md says"
        )


@pytest.mark.parametrize(("platform", "name"), V2_FIXTURES)
def test_v2_imports_pass_validate(tmp_path: Path, platform: str, name: str) -> None:
    missing = missing_engine_features(tmp_path)
    if missing:
        pytest.fail(f"the engine lacks {', '.join(missing)}: cannot validate this import yet")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["import", "--from", platform, str(FIXTURES / name), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.yaml")
    assert not load_definition(written).errors
