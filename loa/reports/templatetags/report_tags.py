from django import template

from loa.vn import format_number

register = template.Library()


@register.filter
def vn_number(value):
    """1250000 → "1.250.000" (dots between thousands, as Vietnamese documents write)."""
    if value is None or value == "":
        return "0"
    return format_number(value)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def overspend_words(line) -> str:
    """The sentence that flags an overspent budget line (as the report writes it)."""
    from ..budget import overspend_sentence

    return overspend_sentence(line)
