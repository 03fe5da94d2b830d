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


_WORDS = (
    "Alpha",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotel",
    "India",
    "Juliett",
    "Kilo",
    "Lima",
    "Mike",
    "November",
    "Oscar",
    "Papa",
    "Quebec",
    "Romeo",
    "Sierra",
    "Tango",
    "Uniform",
    "Victor",
    "Whiskey",
    "X-ray",
    "Yankee",
    "Zulu",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
)
PHONETIC = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", _WORDS, strict=True))
"""The NATO phonetic alphabet, and the digits in words: letters that sound alike on the
phone (D and T, M and N) are told apart."""


def phonetic(reference: str) -> str:
    """'MBC-7K3Q' as 'Mike Bravo Charlie, seven Kilo three Quebec'."""
    return ", ".join(
        " ".join(PHONETIC.get(character, character) for character in group)
        for group in reference.split("-")
    )
