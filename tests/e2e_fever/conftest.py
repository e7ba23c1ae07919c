"""The real coldsweat of `.ci/coldsweat.sh`: the ``coldsweat`` fixture (marks as seeded)."""

from support.coldsweat import coldsweat, coldsweat_session  # noqa: F401
