"""Forms every page shares: the period picker, and model forms that refuse to overwrite a
save made after they were loaded (optimistic locking)."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from projects.history import conflict_changes
from projects.models import StaleVersion
from projects.models.base import person_name
from projects.progress.period import Period


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (2013-06-30), whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The period picker shown on every progress page."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("month"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )

    @classmethod
    def for_period(cls, period: Period):
        return cls(initial={"year": period.year, "month": period.month})


def conflict_message(instance, loaded_version):
    """The refusal shown when someone else saved first: who, when, and what they changed."""
    record, changes = conflict_changes(instance, loaded_version)
    details = "; ".join(f"{name}: {old} → {new}" for name, old, new in changes) or "—"
    return _(
        "Not saved: %(user)s changed this record at %(time)s after you opened it. "
        "Their changes: %(changes)s. Your entries are kept below; check them and submit again."
    ) % {
        "user": (
            person_name(record.history_user) if record and record.history_user else _("someone")
        ),
        "time": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
        if record
        else "",
        "changes": details,
    }


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a save made after it was loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        loaded = self.cleaned_data.get("loaded_version")
        if self.instance.pk and loaded is not None:
            self.instance.version = loaded

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is None:
            # An edit without the version it was loaded at would skip the check.
            raise ValidationError(
                _(
                    "This form does not say which version it was loaded at; reload the page "
                    "and submit again."
                ),
                code="no_version",
            )
        if self.instance.pk and loaded is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != loaded:
                self.refuse_stale(loaded, current)
        return cleaned

    def refuse_stale(self, loaded, current):
        """Refuse with what changed, and take the current version so that a resubmit is deliberate."""
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current
        raise ValidationError(conflict_message(self.instance, loaded), code="stale")

    def save(self, commit=True):
        try:
            return super().save(commit)
        except StaleVersion:
            # Lost the race between clean() and the UPDATE: nothing was written.
            self.add_error(None, conflict_message(self.instance, self.instance.version))
            raise


class QuickSelectMixin:
    """A select drawn in Python rather than through a template and an option dict per option:
    a province's register lists thousands of lead officials, and Django's option rendering
    took most of the project list's time. The markup is the same as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(self.format_value(value))
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for group, options in self.grouped():
            if group is not None:
                parts.append(f'<optgroup label="{escape(str(group))}">')
            for option_value, label in options:
                option_value = "" if option_value is None else str(option_value)
                selected = option_value in chosen
                if selected and not self.allow_multiple_selected:
                    chosen = set()  # Django selects the first option of a value only
                parts.append(
                    f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                    f"{escape(str(label))}</option>"
                )
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Every value and label above is escaped (html.escape, as Django's escape does).
        return mark_safe("".join(parts))  # noqa: S308

    def grouped(self):
        """[(group label or None, [(value, label)])], in the order of the choices."""
        found = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                found.append((option_value, label))
            elif found and found[-1][0] is None:
                found[-1][1].append((option_value, label))
            else:
                found.append((None, [(option_value, label)]))
        return found


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass
