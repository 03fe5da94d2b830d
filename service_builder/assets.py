"""Builds the front-end: the council's CSS from GOV.UK Frontend's Sass and a JS bundle of only
the GOV.UK components used, both content-hashed and pre-compressed."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import brotli

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
    css = (work / "app.css").read_text(encoding="utf-8")
    (work / "app.css").write_text(without_crown(css), encoding="utf-8")
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


CROWN_RULE = re.compile(r"(@supports[^{]*\{)?[^{}]*\{[^{}]*govuk-crest[^{}]*\}\}?")


def without_crown(css: str) -> str:
    """Drop the footer's crown rules: the crown is GOV.UK's alone and never shown here."""
    return CROWN_RULE.sub("", css)


def read_manifest() -> dict[str, str]:
    try:
        manifest: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest
