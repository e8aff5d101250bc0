from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.progress.period import Period

from .measures import Window, measure_choices


def current_quarter(today=None):
    """The quarter of the month whose reports are being collected (the pages' default)."""
    period = Period.collecting(today or timezone.localdate())
    return Window.quarter(period.year, (period.month + 2) // 3)


class QuarterForm(forms.Form):
    """The quarter chooser of the score table."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("quarter"), coerce=int, choices=[(q, q) for q in range(1, 5)]
    )

    def __init__(self, data=None, **kwargs):
        # A link from a month's page (?year=&month=) opens that month's quarter.
        if data is not None and not data.get("quarter") and data.get("month"):
            data = data.copy()
            month = data.get("month")
            data["quarter"] = (int(month) + 2) // 3 if month.isdigit() else month
        super().__init__(data, **kwargs)

    def window(self):
        """The chosen quarter; the current one when nothing is chosen. Bad input raises
        ValueError with the message to show."""
        if not self.data.get("year") and not self.data.get("quarter"):
            return current_quarter()
        if not self.is_valid():
            raise ValueError(_("Choose a year between 2000 and 2100 and a quarter from 1 to 4."))
        return Window.quarter(self.cleaned_data["year"], self.cleaned_data["quarter"])


class ScoreRuleForm(forms.ModelForm):
    """A rule in the admin: the measure chosen among those registered."""

    measure = forms.ChoiceField(label=_("measure"), choices=measure_choices)
