"""Sentences built around text from outside (titles, a blog's error messages): one full stop at
the end and one pair of quotes around a title, however the text itself ends or is quoted.

    end_sentence("Slow down.")  -> "Slow down."      (not "Slow down..")
    quoted("“Hallo”")           -> "“Hallo”"         (not "““Hallo””")
"""

from __future__ import annotations

STOPS = ".!?…"
"""A sentence ending in one of these has its end already."""
CLOSERS = "\"'”’“‘»«›)]"
"""Closing quotes and brackets that may follow a sentence's stop."""
PAIRS = {"“": "”", "„": "“", "”": "”", '"': '"', "«": "»", "»": "«", "‘": "’", "‚": "‘", "'": "'",
         "「": "」"}  # fmt: skip
"""Opening quote -> its closing quote, as languages pair them."""


def end_sentence(text: str, stop: str = ".") -> str:
    """`text` ending in exactly one sentence end: `stop` is added unless it ends in one (before
    any closing quotes or brackets); trailing spaces and a dangling ":" or "," are dropped."""
    value = text.rstrip().rstrip(":;,").rstrip()
    if not value:
        return value
    body = value.rstrip(CLOSERS)
    if body and body[-1] in STOPS:
        return value
    return value + stop


def quoted(text: str) -> str:
    """`text` between one pair of quotes (“…”), unless it is quoted already."""
    value = text.strip()
    if len(value) >= 2 and PAIRS.get(value[0]) == value[-1]:
        return value
    return f"“{value}”"
