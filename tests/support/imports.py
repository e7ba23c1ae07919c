"""What a piece of code imports, seen from a fresh interpreter (start-up and layering tests)."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(imports: str, names: tuple[str, ...]) -> list[str]:
    """Run `imports` in a fresh interpreter: which of `names` (or their submodules) it loaded."""
    code = (
        f"import sys\n{imports}\nnames = {names!r}\n"
        "print(','.join(sorted(m for m in sys.modules"
        " if any(m == n or m.startswith(n + '.') for n in names))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [name for name in result.stdout.strip().split(",") if name]
