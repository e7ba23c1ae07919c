"""Test support for every test directory (tests/ is on sys.path: `from support.x import y`)."""
