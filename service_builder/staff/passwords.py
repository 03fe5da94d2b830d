"""Staff passwords: the NCSC-style policy, and Argon2id hashing that upgrades old hashes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128
"""The same on the command line and in the sign-in form: no password that cannot be typed in."""
COMMON = Path(__file__).with_name("common_passwords.txt")

# OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): strong, and quick enough on 2 cores.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class PasswordRefused(ValueError):
    """The password breaks the policy; the message says how, in plain words."""


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def check_policy(password: str) -> None:
    """Length, typeable characters and the common-password list (NCSC password guidance)."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"the password must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(f"the password must be {MAX_LENGTH} characters or fewer")
    if not password.isprintable():
        raise PasswordRefused("the password must use only characters you can type")
    if password != password.strip():
        raise PasswordRefused("the password must not start or end with a space")
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) <= 2:
        raise PasswordRefused("the password is too common: choose one that is harder to guess")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash (Argon2id, or an older Werkzeug scrypt)."""
    if stored.startswith("$argon2"):
        try:
            return HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored, password)


def needs_rehash(stored: str) -> bool:
    """Older schemes and weaker parameters are replaced at the next successful sign-in."""
    return not stored.startswith("$argon2id$") or HASHER.check_needs_rehash(stored)
