"""Builds the front-end: the council's CSS from GOV.UK Frontend's Sass and a JS bundle of only
the GOV.UK components used, both content-hashed and pre-compressed."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import brotli
import tinycss2

from service_builder.config import ROOT
from service_builder.site import SiteSettings

BUILD = ROOT / "static" / "build"
MANIFEST = BUILD / "manifest.json"
SASS = ROOT / "node_modules" / ".bin" / "sass"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def build_assets(site: SiteSettings, build: Path = BUILD) -> dict[str, str]:
    """Compile, hash and gzip the assets; returns the manifest (logical name -> hashed name)."""
    if not SASS.exists():
        raise RuntimeError("node_modules is missing: run `npm ci` (make install does)")
    if not ESBUILD.exists():
        raise RuntimeError("esbuild is missing: run `npm ci` (make install does)")
    work = build / "work"
    work.mkdir(parents=True, exist_ok=True)
    (work / "_brand.scss").write_text(site.sass(), encoding="utf-8")
    subprocess.run(
        [
            str(SASS),
            "--no-source-map",
            "--style=compressed",
            "--quiet-deps",
            f"--load-path={ROOT / 'node_modules'}",
            f"--load-path={work}",
            str(ROOT / "static" / "src" / "app.scss"),
            str(work / "app.css"),
        ],
        check=True,
    )
    css = without_crown((work / "app.css").read_text(encoding="utf-8"))
    problems = css_problems(css)
    if problems:
        raise RuntimeError("the compiled CSS does not parse: " + "; ".join(problems[:5]))
    (work / "app.css").write_text(css, encoding="utf-8")
    subprocess.run(
        [
            str(ESBUILD),
            str(ROOT / "static" / "src" / "init.js"),
            "--bundle",
            "--minify",
            "--format=esm",
            "--target=es2020",
            "--legal-comments=none",
            "--log-level=warning",
            f"--outfile={work / 'init.js'}",
        ],
        check=True,
        cwd=ROOT,
    )
    sources = {"app.css": work / "app.css", "init.js": work / "init.js"}
    for old in build.glob("*.*"):
        old.unlink()
    manifest: dict[str, str] = {}
    for name, source in sources.items():
        content = source.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:12]
        stem, _, suffix = name.partition(".")
        hashed = f"{stem}.{digest}.{suffix}"
        (build / hashed).write_bytes(content)
        for suffix, packed in (
            ("gz", gzip.compress(content, 9, mtime=0)),
            ("br", brotli.compress(content, quality=11)),
        ):
            if len(packed) < len(content):  # tiny files are smaller as they are
                (build / f"{hashed}.{suffix}").write_bytes(packed)
        manifest[name] = hashed
    (build / MANIFEST.name).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    shutil.rmtree(work)
    return manifest


GROUPING_RULES = {"media", "supports", "layer", "container"}
"""At-rules whose block holds rules, not declarations."""


def without_crown(css: str) -> str:
    """Drop the footer's crown rules: the crown is GOV.UK's alone and never shown here.

    Done on the parsed stylesheet, not with a pattern, so no brace is ever left behind.
    """
    return tinycss2.serialize(_without_crown(tinycss2.parse_stylesheet(css)))


def _without_crown(nodes: list[Any]) -> list[Any]:
    kept = []
    for node in nodes:
        if node.type == "qualified-rule" and "govuk-crest" in tinycss2.serialize(node.content):
            continue
        if node.type == "at-rule" and node.lower_at_keyword in GROUPING_RULES and node.content:
            inner = _without_crown(tinycss2.parse_rule_list(node.content))
            if not any(n.type in ("qualified-rule", "at-rule") for n in inner):
                continue  # nothing left inside it
            node.content = inner
        kept.append(node)
    return kept


def css_problems(css: str) -> list[str]:
    """Why the stylesheet does not parse cleanly (browsers would drop rules), if it does not."""
    problems: list[str] = []
    tokens = tinycss2.parse_component_value_list(css)
    blocks, quoted = _count_blocks(tokens)
    for brace in "{}":
        if css.count(brace) - quoted.count(brace) != blocks:
            problems.append(f"unbalanced braces: {css.count(brace)} '{brace}' for {blocks} blocks")
    _check_rules(tinycss2.parse_stylesheet(css), problems)
    return problems


def _count_blocks(tokens: list[Any]) -> tuple[int, str]:
    """How many {} blocks there are, and the text inside strings, urls and comments."""
    blocks, quoted = 0, ""
    for token in tokens:
        if token.type in ("string", "url", "comment"):
            quoted += token.value
        if token.type in ("{} block", "() block", "[] block", "function"):
            inner_blocks, inner_quoted = _count_blocks(
                token.content if token.type != "function" else token.arguments
            )
            blocks += inner_blocks + (token.type == "{} block")
            quoted += inner_quoted
    return blocks, quoted


def _check_rules(nodes: list[Any], problems: list[str]) -> None:
    for node in nodes:
        where = f"line {getattr(node, 'source_line', '?')}"
        if node.type == "error":
            problems.append(f"{where}: {node.message}")
            continue
        if node.type not in ("qualified-rule", "at-rule"):
            continue
        stray = [t.value for t in node.prelude if t.type == "literal" and t.value in "{}();"]
        if stray:
            problems.append(
                f"{where}: stray '{stray[0]}' before '{tinycss2.serialize(node.prelude).strip()}'"
            )
        if node.type == "qualified-rule" and node.content is not None:
            _check_declarations(tinycss2.parse_blocks_contents(node.content), where, problems)
        elif node.content is not None and node.lower_at_keyword in GROUPING_RULES:
            _check_rules(tinycss2.parse_rule_list(node.content), problems)


def _check_declarations(nodes: list[Any], where: str, problems: list[str]) -> None:
    for node in nodes:
        if node.type == "error":
            problems.append(f"{where}: {node.message}")
        elif node.type == "qualified-rule":  # CSS nesting: a rule inside a rule
            _check_rules([node], problems)


def read_manifest() -> dict[str, str]:
    try:
        manifest: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest
