from django import template

register = template.Library()


@register.filter
def thousands(value):
    """12345 → '12,345'; anything not a number is shown as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value
