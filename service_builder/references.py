"""Submission references that are easy to read aloud: no look-alike characters, in groups."""

from __future__ import annotations

import secrets

ALPHABET = "346789ACDEFGHJKMNPQRTWXY"
"""Digits and capitals, less the look-alikes 0 O 1 I L 2 Z 5 S B U V."""
GROUPS = 2
GROUP_LENGTH = 4


def new_reference(prefix: str | None) -> str:
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)]
    return "-".join([prefix, *groups] if prefix else groups)


def spoken(reference: str) -> str:
    """'MBC-7K3Q-9XPD' read character by character, for saying on the phone."""
    return ", ".join(" ".join(group) for group in reference.split("-"))
