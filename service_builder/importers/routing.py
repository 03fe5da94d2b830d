"""Page order from a route graph, as a designer writes it: each page after those leading to it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def reachable(start: str, links: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        key = stack.pop()
        if key in seen or key not in links:
            continue
        seen.add(key)
        stack.extend(links[key])
    return seen


def route_order(start: str, links: dict[str, list[str]], source_order: Iterable[str]) -> list[str]:
    """Pages reachable from `start`, each after every page that links to it.

    Ties keep the source's order, so a straight journey reads as the source wrote it. A loop
    (which this format refuses) cannot be ordered: its pages follow in source order.
    """
    keep = reachable(start, links)
    rank = {key: index for index, key in enumerate(source_order)}
    incoming = {key: 0 for key in keep}
    for key in keep:
        for target in set(links[key]):
            if target in keep and target != key:
                incoming[target] += 1
    ready = sorted((k for k in keep if incoming[k] == 0), key=lambda k: (k != start, rank[k]))
    order: list[str] = []
    while ready:
        key = ready.pop(0)
        order.append(key)
        for target in dict.fromkeys(links[key]):
            if target in incoming and target != key:
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
        ready.sort(key=lambda k: rank[k])
    order += sorted((k for k in keep if k not in order), key=lambda k: rank[k])
    return order


def unreachable_pages(pages: list[dict[str, Any]]) -> list[str]:
    """Ids of written pages no route reaches (a route left out can strand the page it led to)."""
    ids = [page["id"] for page in pages]
    following = {ids[i]: ids[i + 1] if i + 1 < len(ids) else None for i in range(len(ids))}
    leads: dict[str, list[str]] = {}
    for page in pages:
        if page.get("type") == "exit":
            leads[page["id"]] = []
            continue
        rules = page.get("next") or []
        targets = [rule["goto"] for rule in rules]
        if not rules or "when" in rules[-1]:
            targets.append(following[page["id"]] or "")
        leads[page["id"]] = [t for t in targets if t in following]
    for page in pages:  # a page skipped by its show_when passes its callers on
        if page.get("show_when"):
            for _source, targets in leads.items():
                if page["id"] in targets:
                    targets += [
                        t
                        for t in leads[page["id"]] or [following[page["id"]] or ""]
                        if t in following and t not in targets
                    ]
    return [page_id for page_id in ids if page_id not in reachable(ids[0], leads)] if ids else []
