"""The real tt-rss of `.ci/ttrss.sh` (the ``ttrss`` fixture: the test user emptied), and the
real WordPress of `.ci/wordpress.sh` for a synced article's comments."""

from support.ttrss import ttrss, ttrss_session  # noqa: F401
from support.wordpress import wordpress  # noqa: F401
