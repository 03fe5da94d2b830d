"""The route walk's result, kept per process by the answers it was walked for, so that a
request on page 190 of a 200-page service does not walk 190 pages again (see `Journey`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from service_builder.definitions.schema import Page, Service

Answers = dict[str, Any]


class Prefix(Mapping[str, Any]):
    """The answers given along the route before a page (the first `size` given), read from
    the walk's one dict of answers instead of a copy per page (that made walks quadratic)."""

    def __init__(self, walk: Walk, size: int) -> None:
        self.walk, self.size = walk, size

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        earlier = self.walk.earlier.get(key)
        if earlier is None:
            return self.walk.answers[key]
        return [value for at, value in earlier if at < self.size][-1]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.walk.positions.get(key, self.size) < self.size

    def __iter__(self) -> Iterator[str]:
        return (key for key in self.walk.answers if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Walk:
    """The pages on the route, in order, and the answers given along it. Shared by every
    journey with the same answers: nothing in it changes once it is built."""

    service: Service
    pages: list[Page] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    """For each page on the route: how many answers were given on the route before it."""
    answers: Answers = field(default_factory=dict)
    given: int = 0
    positions: dict[str, int] = field(default_factory=dict)
    """When each answer was first given on the route (0, 1, …), for `Prefix`."""
    earlier: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    """Every value, and when, of an id given twice (a repeat page's id that is also a
    question's): what each page saw stays what it saw."""
    index: dict[str, int] = field(default_factory=dict)
    """Page id -> its place on the route."""

    def add(self, page: Page) -> None:
        self.index[page.id] = len(self.pages)
        self.pages.append(page)
        self.sizes.append(self.given)

    def give(self, answers: Answers) -> None:
        """A finished page's answers to its visible questions."""
        for key, value in answers.items():
            if key in self.answers:
                history = self.earlier.setdefault(key, [(self.positions[key], self.answers[key])])
                history.append((self.given, value))
            else:
                self.positions[key] = self.given
            self.answers[key] = value
            self.given += 1

    def before(self, page_id: str) -> Mapping[str, Any]:
        """The answers on the route before this page (all of them for a page not on it)."""
        at = self.index.get(page_id)
        if at is None:
            return self.answers
        return Prefix(self, self.sizes[at])

    def up_to(self, page_id: str) -> Walk:
        """The walk as it stood on reaching this page (on the route), as a new walk: what a
        change on this page leaves as it was, so that walking goes on from there."""
        at = self.index[page_id]
        size = self.sizes[at]
        walk = Walk(self.service, given=size)
        walk.pages, walk.sizes = self.pages[:at], self.sizes[:at]
        walk.index = {page.id: place for place, page in enumerate(walk.pages)}
        if size == self.given:  # nothing given from this page on (the usual: the last page)
            walk.answers, walk.positions = dict(self.answers), dict(self.positions)
            walk.earlier = {key: list(history) for key, history in self.earlier.items()}
            return walk
        seen = Prefix(self, size)
        walk.answers = {key: seen[key] for key in seen}
        walk.positions = {key: self.positions[key] for key in walk.answers}
        walk.earlier = {
            key: [(when, value) for when, value in history if when < size]
            for key, history in self.earlier.items()
            if key in seen
        }
        return walk


class WalkCache:
    """The last walks of this process, by service object, audience and answers. A walk for
    the same answers is the same walk: the cache cannot be stale, only miss."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.walks: OrderedDict[tuple[int, str, str], Walk] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[int, str, str], service: Service) -> Walk | None:
        with self.lock:
            walk = self.walks.get(key)
            if walk is None or walk.service is not service:  # an id reused after a reload
                return None
            self.walks.move_to_end(key)
            return walk

    def put(self, key: tuple[int, str, str], walk: Walk) -> None:
        with self.lock:
            self.walks[key] = walk
            self.walks.move_to_end(key)
            while len(self.walks) > self.size:
                self.walks.popitem(last=False)


walks = WalkCache()


def state_key(answers: Answers, completed: list[str]) -> str:
    """The answers and finished pages, as one string: equal strings, equal walks. `repr`
    tells apart what conditions tell apart ("1" and 1, True and 1) and is cheap."""
    return repr((answers, completed))
