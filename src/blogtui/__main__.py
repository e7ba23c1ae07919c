"""`python -m blogtui`."""

from blogtui.cli import entry

raise SystemExit(entry())
