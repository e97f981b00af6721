"""The fixed day the tests' registers live on, defined once (a test module that means another
day says so with its own date)."""

from datetime import date

FIXED_TODAY = date(2026, 11, 26)
