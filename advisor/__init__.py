"""The advisor: service-maturity assessment and procurement advice for public bodies."""

__version__ = "0.1.0"
