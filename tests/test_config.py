"""Settings read from the environment at start: defaults, and a clear refusal of a value that
cannot be read."""

from __future__ import annotations

import datetime as dt

import pytest

from service_builder.config import ConfigError, load_config


def test_the_idle_timeout_and_the_longest_sign_in_are_set_by_operators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = load_config({"SECRET_KEY": "k"})
    assert defaults["STAFF_IDLE_TIMEOUT"] == dt.timedelta(minutes=30)
    assert defaults["STAFF_SESSION_LIFETIME"] == dt.timedelta(hours=12)
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "15")
    monkeypatch.setenv("STAFF_SESSION_HOURS", "9")
    chosen = load_config({"SECRET_KEY": "k"})
    assert chosen["STAFF_IDLE_TIMEOUT"] == dt.timedelta(minutes=15)
    assert chosen["STAFF_SESSION_LIFETIME"] == dt.timedelta(hours=9)
    for name, value, words in [
        ("STAFF_IDLE_MINUTES", "2", "STAFF_IDLE_MINUTES must be at least 3"),
        ("STAFF_IDLE_MINUTES", "half an hour", "STAFF_IDLE_MINUTES must be a whole number"),
        ("STAFF_SESSION_HOURS", "0", "STAFF_SESSION_HOURS must be at least 1"),
    ]:
        with monkeypatch.context() as changed:
            changed.setenv(name, value)
            with pytest.raises(ConfigError, match=words):
                load_config({"SECRET_KEY": "k"})
