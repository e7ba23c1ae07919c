"""blogtui: read blogs and take part in their comment threads, from the terminal."""

__version__ = "0.1.0"
