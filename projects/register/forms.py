"""Forms of the register's admin: reverse scheduling from a milestone template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import MilestoneTemplate
from projects.web.forms import DateInput


class ApplyTemplateForm(forms.Form):
    """Reverse scheduling: pick a template and the target completion date."""

    template = forms.ModelChoiceField(
        label=_("milestone template"), queryset=MilestoneTemplate.objects.all()
    )
    target_date = forms.DateField(label=_("target completion date"), widget=DateInput())
