"""Vietnamese text toolkit: normalisation, tokens, abbreviations, dates, restoration.

Pure Python; no Django imports.
"""

from loa.vn.abbreviations import (
    ABBREVIATIONS,
    abbreviation_lookup,
    expand_abbreviations,
)
from loa.vn.dates import find_dates, format_date, format_date_short, parse_date
from loa.vn.restore import needs_restoration, restore
from loa.vn.text import fold, fold_lower, format_number, nfc, syllables, words

__all__ = [
    "ABBREVIATIONS",
    "abbreviation_lookup",
    "expand_abbreviations",
    "find_dates",
    "fold",
    "fold_lower",
    "format_date",
    "format_date_short",
    "format_number",
    "needs_restoration",
    "nfc",
    "parse_date",
    "restore",
    "syllables",
    "words",
]
