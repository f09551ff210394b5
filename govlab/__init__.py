"""govlab: run a public-sector innovation lab end to end."""

__version__ = "0.1.0"
