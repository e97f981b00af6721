"""riskreg: a living HIPAA risk register and breach-notification workflow for a solo practice."""

__version__ = "0.1.0"
