"""Staff accounts: hashed passwords (Argon2id), sign-in with lock-out after repeated failures."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select, update

from service_builder.models import StaffUser, db, utcnow
from service_builder.staff import sessions
from service_builder.staff.passwords import (
    MIN_LENGTH,
    PasswordRefused,
    check_policy,
    hash_password,
    needs_rehash,
    verify,
)

ROLES = ("agent", "caseworker", "supervisor", "admin")
RANK = {"agent": 0, "caseworker": 0, "supervisor": 1, "admin": 2}
"""Agents and caseworkers rank alike: each sees only their teams' cases (see cases.py)."""
MIN_PASSWORD_LENGTH = MIN_LENGTH
MAX_FAILURES = 5
LOCK_OUT = dt.timedelta(minutes=15)
_DUMMY_HASH = hash_password("timing-equaliser")


class AccountError(ValueError):
    """A staff account cannot be saved as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def save_user(email: str, password: str, role: str, enable: bool = False) -> bool:
    """Create the account, or reset its password and role; True when it is new. A disabled
    account stays disabled unless `enable`: resetting a leaver's password must not let them
    back in."""
    email = normalise_email(email)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise AccountError(f"'{email}' is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    try:
        check_policy(password)
    except PasswordRefused as refused:
        raise AccountError(str(refused)) from None
    user = find_user(email)
    created = user is None
    if user is None:
        user = StaffUser(email=email)
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.role = role
    user.failed_sign_ins = 0
    user.locked_until = None
    if enable:
        user.disabled_at = None
    db.session.commit()
    if not created:
        sessions.end_all(user.id)  # a new password ends every session under the old one
    return created


def disable_user(email: str) -> bool:
    """Stop the account signing in and end its sessions; False when there is no such account."""
    user = find_user(email)
    if user is None:
        return False
    user.disabled_at = utcnow()
    db.session.commit()
    sessions.end_all(user.id)
    return True


def find_user(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> StaffUser | None:
    """The user when the password is right and the account is usable; None otherwise.

    Unknown emails cost the same hashing time as known ones, so timing does not tell. The
    attempt is counted in the database before the password is checked, so concurrent guesses
    cannot all be checked before the lock takes hold.
    """
    user = find_user(email)
    if user is None or user.disabled_at is not None:
        verify(_DUMMY_HASH, password)
        return None
    attempt = _count_attempt(user.id)
    if attempt is None or attempt > MAX_FAILURES:
        if attempt is not None:
            _lock(user.id)  # also mends a count left high by a request that died mid-way
        verify(_DUMMY_HASH, password)
        return None
    if not verify(user.password_hash, password):
        if attempt >= MAX_FAILURES:
            _lock(user.id)
        return None
    values: dict[str, object] = {"failed_sign_ins": 0, "locked_until": None}
    if needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    db.session.execute(update(StaffUser).where(StaffUser.id == user.id).values(**values))
    db.session.commit()
    db.session.refresh(user)
    return user


def _count_attempt(user_id: int) -> int | None:
    """Add one to the attempts in a single statement; None while the account is locked."""
    now = utcnow()
    count = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user_id,
            (StaffUser.locked_until.is_(None)) | (StaffUser.locked_until <= now),
        )
        .values(failed_sign_ins=StaffUser.failed_sign_ins + 1)
        .returning(StaffUser.failed_sign_ins)
    ).scalar()
    db.session.commit()
    return count


def _lock(user_id: int) -> None:
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(locked_until=utcnow() + LOCK_OUT, failed_sign_ins=0)
    )
    db.session.commit()


def has_role(user: StaffUser, role: str) -> bool:
    """Roles are ranked: a supervisor can do what an agent can, an admin what both can."""
    return RANK.get(user.role, -1) >= RANK[role]
