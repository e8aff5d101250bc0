"""Display filters: one format for money and percentages everywhere."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from projects.models.base import Light, person_name

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
    """The pace light as a coloured badge with its text, and its reason written under it (a
    hover title is out of reach of a finger and of the keyboard)."""
    light = project.light
    if not project.light_reason:
        return format_html('<span class="light light-{}">{}</span>', light.value, light.label)
    return format_html(
        '<span class="light light-{}">{}</span><small class="light-reason">{}</small>',
        light.value,
        light.label,
        project.light_reason,
    )


@register.inclusion_tag("projects/light_counts.html")
def light_counts(total, period=None):
    """How many projects have each light, each count named in words (正常 6, 滞后 2, 严重滞后 2):
    green and red differ by colour alone for too many eyes. With a period, each count links to
    the project list filtered by its light."""

    def count(light):
        return total[light.value] if isinstance(total, dict) else getattr(total, light.value)

    lights = [Light.GREEN, Light.YELLOW, Light.RED] + ([Light.NONE] if count(Light.NONE) else [])
    url = reverse("projects:project_list")
    return {
        "lights": [
            {
                "value": light.value,
                "label": light.label,
                "count": count(light),
                "url": f"{url}?{period.query_string()}&light={light.value}" if period else "",
            }
            for light in lights
        ]
    }


@register.filter
def person(user):
    """A user by name (see person_name), or a dash."""
    return person_name(user) or DASH
