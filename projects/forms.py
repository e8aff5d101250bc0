"""Forms of the project office and the lead officials."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MilestoneTemplate
from .periods import Period


class PeriodForm(forms.Form):
    """The period picker shown on every progress page."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("month"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )

    @classmethod
    def for_period(cls, period: Period):
        return cls(initial={"year": period.year, "month": period.month})


class ApplyTemplateForm(forms.Form):
    """Reverse scheduling: pick a template and the target completion date."""

    template = forms.ModelChoiceField(
        label=_("milestone template"), queryset=MilestoneTemplate.objects.all()
    )
    target_date = forms.DateField(
        label=_("target completion date"), widget=forms.DateInput(attrs={"type": "date"})
    )
