"""Forms of the register: reverse scheduling from a milestone template, the outlines of
zones and regions, and a project's place on the map."""

import json

from django import forms
from django.core.exceptions import ValidationError
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
