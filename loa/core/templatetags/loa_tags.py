from django import template

register = template.Library()


@register.filter
def vn_date(value):
    """'ngày 04 tháng 03 năm 2026' for a date; empty for None."""
    if not value:
        return ""
    from loa.vn import format_date

    return format_date(value)


@register.filter
def vn_short_date(value):
    if not value:
        return ""
    return value.strftime("%d/%m/%Y")
