"""Forms of the register: reverse scheduling from a milestone template, the outlines of
zones and regions, and a project's place on the map."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from projects.models import MilestoneTemplate, Project
from projects.models.geo import OUTLINE_MAX_BYTES, validate_outline
from projects.web.forms import DateInput, VersionedModelForm


class ApplyTemplateForm(forms.Form):
    """Reverse scheduling: pick a template and the target completion date."""

    template = forms.ModelChoiceField(
        label=_("milestone template"), queryset=MilestoneTemplate.objects.all()
    )
    target_date = forms.DateField(label=_("target completion date"), widget=DateInput())


class OutlineWidget(forms.Textarea):
    """The outline's GeoJSON, and under it a small map to draw it on (static/js/outline-draw.js,
    the vendored Leaflet): each click adds a corner, the ring closed and written into the text
    box; 撤销 takes the last corner back, 清除 empties the outline. The text box stays the
    keyboard's way in. `context` is the outlines the account sees, drawn faintly to trace by."""

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css", "css/outline-draw.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/outline-draw.js"]

    def __init__(self, attrs=None, context=None):
        super().__init__(attrs)
        self.context = context or {"type": "FeatureCollection", "features": []}

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        field = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '{}<div class="outline-draw" data-for="{}" data-status="{}">'
            '<p class="help">{}</p>'
            '<div class="outline-draw-map" id="{}-map" role="region" aria-label="{}"></div>'
            '<p class="outline-draw-tools"><button type="button" class="button outline-undo">{}'
            '</button> <button type="button" class="button outline-clear">{}</button> '
            '<span class="outline-draw-status" role="status" aria-live="polite"></span></p>'
            "{}</div>",
            box,
            field,
            gettext_now("%(count)s corners drawn"),
            gettext_now(
                "Or draw it: click the map at each corner of the boundary, in order; the "
                "outline is closed and written above. Save to keep it."
            ),
            field,
            gettext_now("Map to draw the outline on"),
            gettext_now("Undo the last corner"),
            gettext_now("Clear the outline"),
            json_script(self.context, f"{field}-context"),
        )


class OutlineForm(forms.ModelForm):
    """The admin's form of a zone or a region (the admin names the model and its fields): the
    outline pasted as GeoJSON or uploaded as a .geojson file (the file, when given, replaces
    what is pasted)."""

    outline_file = forms.FileField(
        label=_("outline file"),
        required=False,
        help_text=_("A .geojson file of one Polygon or MultiPolygon, up to %(size)s KB.")
        % {"size": OUTLINE_MAX_BYTES // 1024},
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("outline_file")
        if upload:
            if upload.size > OUTLINE_MAX_BYTES:
                self.add_error(
                    "outline_file",
                    _("The outline is larger than %(size)s KB: simplify it first.")
                    % {"size": OUTLINE_MAX_BYTES // 1024},
                )
                return cleaned
            try:
                cleaned["outline"] = json.loads(upload.read().decode("utf-8-sig"))
            except ValueError:
                self.add_error(
                    "outline_file", _("The outline is not GeoJSON: it cannot be read as JSON.")
                )
                return cleaned
            try:
                validate_outline(cleaned["outline"])
            except ValidationError as error:
                self.add_error("outline_file", error)
                return cleaned
            self.instance.outline = cleaned["outline"]
        return cleaned


class LocationForm(VersionedModelForm):
    """Where a project is: the office clicks the map, types, or (on site, over HTTPS) takes
    the phone's position."""

    class Meta:
        model = Project
        fields = ["latitude", "longitude"]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }
