"""The real WordPress of `.ci/wordpress.sh`: the ``wordpress`` session fixture."""

from support.wordpress import wordpress  # noqa: F401
