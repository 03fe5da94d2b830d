"""Staff accounts: hashed passwords (scrypt), sign-in with lock-out after repeated failures."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from service_builder.models import StaffUser, db, utcnow

ROLES = ("agent", "caseworker", "supervisor", "admin")
RANK = {"agent": 0, "caseworker": 0, "supervisor": 1, "admin": 2}
"""Agents and caseworkers rank alike: each sees only their teams' cases (see cases.py)."""
MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5
LOCK_OUT = dt.timedelta(minutes=15)
_DUMMY_HASH = generate_password_hash("timing-equaliser", method="scrypt")


class AccountError(ValueError):
    """A staff account cannot be saved as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def save_user(email: str, password: str, role: str) -> bool:
    """Create the account, or reset its password and role; True when it is new."""
    email = normalise_email(email)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise AccountError(f"'{email}' is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = find_user(email)
    created = user is None
    if user is None:
        user = StaffUser(email=email)
        db.session.add(user)
    user.password_hash = generate_password_hash(password, method="scrypt")
    user.role = role
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.commit()
    return created


def find_user(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> StaffUser | None:
    """The user when the password is right and the account is not locked; None otherwise.

    Unknown emails cost the same hashing time as known ones, so timing does not tell.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if user.locked_until is not None and user.locked_until > utcnow():
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= MAX_FAILURES:
            user.locked_until = utcnow() + LOCK_OUT
            user.failed_sign_ins = 0
        db.session.commit()
        return None
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.commit()
    return user


def has_role(user: StaffUser, role: str) -> bool:
    """Roles are ranked: a supervisor can do what an agent can, an admin what both can."""
    return RANK.get(user.role, -1) >= RANK[role]
