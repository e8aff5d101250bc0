"""Display filters: one format for money and percentages everywhere."""

from django import template
from django.utils.html import format_html

from projects.models.base import person_name

register = template.Library()

DASH = "—"


@register.filter
def money(value):
    """万元 with thousands separators and 2 decimals; — when there is no value."""
    return DASH if value is None or value == "" else f"{value:,.2f}"


@register.filter
def pct(value):
    """A percentage or percentage-point figure with 2 decimals; — when not applicable."""
    return DASH if value is None or value == "" else f"{value:.2f}"


@register.simple_tag
def light_badge(project):
    """The pace light as a coloured badge with its text, and its reason on hover."""
    light = project.light
    return format_html(
        '<span class="light light-{}" title="{}">{}</span>',
        light.value,
        project.light_reason,
        light.label,
    )


@register.filter
def person(user):
    """A user by name (see person_name), or a dash."""
    return person_name(user) or DASH
