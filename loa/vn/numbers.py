"""Numbers written in Vietnamese words where a person reads or hears them."""

from __future__ import annotations

from loa.vn.speech import number_words

# Ordinals differ from cardinals only at one and four: "thứ nhất", "thứ tư"
# (and "thứ hai mươi tư", "thứ ba mươi mốt" come from number_words already).
_ORDINAL_WORDS = {1: "nhất", 4: "tư"}


def ordinal_words(value: int) -> str:
    """The word(s) after "thứ" for a positive rank.

    >>> ordinal_words(1), ordinal_words(2), ordinal_words(4), ordinal_words(14)
    ('nhất', 'hai', 'tư', 'mười bốn')
    """
    if value < 1:
        raise ValueError("an ordinal starts at 1")
    return _ORDINAL_WORDS.get(value) or number_words(value)


def ordinal(value: int) -> str:
    """ "thứ nhất", "thứ hai", "thứ ba", "thứ tư", "thứ năm"…"""
    return f"thứ {ordinal_words(value)}"
