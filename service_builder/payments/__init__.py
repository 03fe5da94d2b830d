"""Fees paid through GOV.UK Pay before a form is sent (see docs/payments in architecture.md)."""
