"""One error hierarchy; every error carries a short user-facing title."""

from __future__ import annotations


class BlogtuiError(Exception):
    """Base of every error blogtui reports to its user."""

    title = "Error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title:
            self.title = title

    def __str__(self) -> str:
        return self.message


class FeedError(BlogtuiError):
    """A feed could not be fetched or parsed."""

    title = "Feed error"


class DiscoveryError(BlogtuiError):
    """No feed could be found at a URL."""

    title = "No feed found"


class StoreError(BlogtuiError):
    """The database is unusable."""

    title = "Database error"


class ConfigError(BlogtuiError):
    """The configuration file is invalid."""

    title = "Configuration error"


class CommentsUnavailable(BlogtuiError):
    """An article's comments could not be read."""

    title = "Comments unavailable"


class ReplyRejected(BlogtuiError):
    """A blog refused a reply."""

    title = "Reply rejected"
