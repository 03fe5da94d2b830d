"""Assisted digital: staff accounts, sign-in and the assisted journey."""
