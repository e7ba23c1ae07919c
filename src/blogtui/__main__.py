"""`python -m blogtui`."""

from blogtui.cli import main

raise SystemExit(main())
