"""Staff accounts: hashed passwords (Argon2id), sign-in with lock-out after repeated failures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update

from service_builder.models import StaffUser, db, utcnow
from service_builder.staff import devices, sessions
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
        devices.forget_all(user.id)  # and every browser's standing under it
    return created


def disable_user(email: str) -> bool:
    """Stop the account signing in and end its sessions; False when there is no such account."""
    user = find_user(email)
    if user is None:
        return False
    user.disabled_at = utcnow()
    db.session.commit()
    sessions.end_all(user.id)
    devices.forget_all(user.id)
    return True


def find_user(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


@dataclass
class SignedIn:
    user: StaffUser
    new_device: str | None
    """The token for a device cookie, when this browser was not yet known on the account
    (`devices`); None when it was."""


def authenticate(email: str, password: str, device: str | None = None) -> SignedIn | None:
    """The user when the password is right and the account is usable; None otherwise.

    Unknown emails cost the same hashing time as known ones, so timing does not tell. The
    attempt is counted in the database before the password is checked, so concurrent guesses
    cannot all be checked before the lock takes hold. It is counted against the account, or,
    when `device` (the browser's device cookie) names a browser that signed in to it before,
    against that browser alone: strangers' guesses do not lock its owner out (`devices`).
    """
    user = find_user(email)
    if user is None or user.disabled_at is not None:
        verify(_DUMMY_HASH, password)
        return None
    known = devices.known(user.id, device)
    attempts = (
        _Attempts(StaffUser, user.id) if known is None else _Attempts(devices.StaffDevice, known)
    )
    attempt = attempts.count()
    if attempt is None or attempt > MAX_FAILURES:
        if attempt is not None:
            attempts.lock()  # also mends a count left high by a request that died mid-way
        verify(_DUMMY_HASH, password)
        return None
    if not verify(user.password_hash, password):
        if attempt >= MAX_FAILURES:
            attempts.lock()
        return None
    attempts.clear()
    if needs_rehash(user.password_hash):
        db.session.execute(
            update(StaffUser)
            .where(StaffUser.id == user.id)
            .values(password_hash=hash_password(password))
        )
        db.session.commit()
    db.session.refresh(user)
    return SignedIn(user, devices.remember(user.id) if known is None else None)


class _Attempts:
    """Wrong passwords counted against one row: the account (browsers it does not know), or
    one browser the account knows (`devices`). Both hold `failed_sign_ins` and
    `locked_until`."""

    def __init__(self, model: type[StaffUser] | type[devices.StaffDevice], row_id: int) -> None:
        self.model, self.row_id = model, row_id

    def count(self) -> int | None:
        """Add one to the attempts in a single statement; None while locked out."""
        model, now = self.model, utcnow()
        count = db.session.execute(
            update(model)
            .where(
                model.id == self.row_id,
                (model.locked_until.is_(None)) | (model.locked_until <= now),
            )
            .values(failed_sign_ins=model.failed_sign_ins + 1)
            .returning(model.failed_sign_ins)
        ).scalar()
        db.session.commit()
        return count

    def lock(self) -> None:
        self._set(locked_until=utcnow() + LOCK_OUT, failed_sign_ins=0)

    def clear(self) -> None:
        self._set(failed_sign_ins=0, locked_until=None)

    def _set(self, **values: object) -> None:
        db.session.execute(update(self.model).where(self.model.id == self.row_id).values(**values))
        db.session.commit()


def has_role(user: StaffUser, role: str) -> bool:
    """Roles are ranked: a supervisor can do what an agent can, an admin what both can."""
    return RANK.get(user.role, -1) >= RANK[role]
