"""The real tt-rss of `.ci/ttrss.sh`: the ``ttrss`` fixture (the test user emptied)."""

from support.ttrss import ttrss, ttrss_session  # noqa: F401
