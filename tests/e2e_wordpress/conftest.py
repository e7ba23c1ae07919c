"""Makes the ``wordpress`` session fixture from tests/wordpress_site.py available here."""

import sys
from pathlib import Path

_TESTS_DIR = str(Path(__file__).resolve().parent.parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

from wordpress_site import wordpress  # noqa: E402, F401
