import functools

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@register.filter
def vn_date(value):
    """'ngày 04 tháng 3 năm 2026' for a date; empty for None."""
    if not value:
        return ""
    from loa.vn import format_date

    return format_date(value)


@register.filter
def vn_short_date(value):
    if not value:
        return ""
    return value.strftime("%d/%m/%Y")


@functools.lru_cache(maxsize=256)
def _fixed_url(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url %}` for a page without arguments, worked out once per process: the menus
    on every page would otherwise reverse a dozen names per request."""
    return _fixed_url(name, get_script_prefix())
