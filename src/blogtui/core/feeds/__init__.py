"""Feeds: fetching, discovery, parsing (in worker processes for big refreshes), refresh, OPML."""
