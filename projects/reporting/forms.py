"""The monthly report form of lead officials and liaisons."""

import logging
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from projects.models import (
    MAX_PHOTOS,
    TEXT_LIMIT,
    MonthLock,
    MonthlyReport,
    ReportPhoto,
    StaleVersion,
)
from projects.progress.period import Period
from projects.templatetags.jiefang import money
from projects.web.forms import DateInput, VersionedModelForm, conflict_message

from . import actions
from .photos import PhotoRefused, PixelBudget, check_photo

logger = logging.getLogger(__name__)


class SaveRefused(Exception):
    """The save was refused while writing (the month was locked meanwhile, the photos could
    not be stored): nothing was written, and the form carries the reason."""


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of uploaded files under one name (the camera's and the gallery's input)."""

    widget = PhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


def text_widget():
    """形象进度 and 存在问题: a limit the browser enforces and a counter shows (app.js)."""
    return forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_LIMIT, "data-counter": TEXT_LIMIT})


class MonthlyReportForm(VersionedModelForm):
    """A month's report: amount, 形象进度, 存在问题, milestones reached and site photos.

    The month comes from the page (a link or the month chooser) as hidden year and month.
    """

    confirm_over_total = forms.BooleanField(
        label=_("I confirm the cumulative amount exceeds the total investment"), required=False
    )
    photos = PhotosField(label=_("site photos"), required=False)
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("remove these photos"),
        queryset=ReportPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MonthlyReport
        fields = ["year", "month", "amount", "physical_progress", "problems"]
        widgets = {
            "year": forms.HiddenInput,
            "month": forms.HiddenInput,
            "amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
            "physical_progress": text_widget(),
            "problems": text_widget(),
        }

    def __init__(self, *args, project, may_change_locked=False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.user = user
        self.may_change_locked = may_change_locked
        self.instance.project = project
        self.existing_photos = list(self.instance.photos.all()) if self.instance.pk else []
        self.fields["remove_photos"].queryset = (
            self.instance.photos.all() if self.instance.pk else ReportPhoto.objects.none()
        )
        self.checked_photos = []
        self.pending = list(project.milestones.filter(actual_date__isnull=True))
        for milestone in self.pending:
            self.fields[f"milestone_{milestone.pk}"] = forms.DateField(
                label=_("%(name)s reached on (planned %(date)s)")
                % {"name": milestone.name, "date": milestone.planned_date},
                required=False,
                widget=DateInput(),
            )
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["month"].disabled = True

    def clean_photos(self):
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(self.too_many(len(uploads)))
        errors = []
        budget = PixelBudget()
        for upload in uploads:
            try:
                self.checked_photos.append(check_photo(upload, budget))
            except PhotoRefused as refused:
                errors.append(str(refused))
        if errors:
            raise ValidationError(errors)
        return uploads

    @staticmethod
    def too_many(count):
        return _("A report carries at most %(max)s photos; it would have %(count)s.") % {
            "max": MAX_PHOTOS,
            "count": count,
        }

    def milestone_fields(self):
        return [self[f"milestone_{m.pk}"] for m in self.pending]

    def clean(self):
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("month")
        if (
            not self.may_change_locked
            and not self.instance.pk
            and MonthLock.on(year, month, self.project.region_id).exists()
        ):
            self.add_error(
                "month",
                _("%(period)s is locked; only the project office can add a report for it.")
                % {"period": Period(year, month).label},
            )
        for milestone in self.pending:
            name = f"milestone_{milestone.pk}"
            reached = cleaned.get(name)
            if reached is None:
                continue
            milestone.actual_date = reached
            try:
                milestone.full_clean(exclude=["project"])
            except ValidationError as error:
                for message in error.message_dict.get("actual_date", error.messages):
                    self.add_error(name, message)
        removed = set(cleaned.get("remove_photos") or [])
        count = len([p for p in self.existing_photos if p not in removed])
        count += len(cleaned.get("photos") or [])
        if count > MAX_PHOTOS and "photos" not in self.errors:
            self.add_error("photos", self.too_many(count))
        amount = cleaned.get("amount")
        if amount is not None and not cleaned.get("confirm_over_total"):
            others = self.project.reports.exclude(pk=self.instance.pk).aggregate(
                total=Sum("amount")
            )["total"] or Decimal(0)
            if others + amount > self.project.total_investment:
                self.add_error(
                    "confirm_over_total",
                    _(
                        "The cumulative amount would be %(cumulative)s, more than the total "
                        "investment %(total)s (10k yuan). Tick the box to confirm it is right."
                    )
                    % {
                        "cumulative": money(others + amount),
                        "total": money(self.project.total_investment),
                    },
                )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The project is not a form field, so check the one-report-a-month rule here; fields
        # already refused keep their own message rather than a constraint's.
        try:
            self.instance.validate_constraints(exclude=set(self.errors))
        except ValidationError as error:
            self._update_errors(error)

    def save(self, commit=True):
        """Save the report, its milestones and photos together (reporting.actions.submit_report),
        or nothing (SaveRefused, with the reason on the form)."""
        reached = {m: self.cleaned_data.get(f"milestone_{m.pk}") for m in self.pending}
        try:
            return actions.submit_report(
                self.user,
                self.instance,
                reached=reached,
                new_photos=self.checked_photos,
                removed_photos=self.cleaned_data.get("remove_photos") or [],
                may_change_locked=self.may_change_locked,
            )
        except StaleVersion:
            # Lost the race between clean() and the UPDATE: nothing was written.
            self.add_error(None, conflict_message(self.instance, self.instance.version))
            raise
        except actions.Refused as refused:
            self.add_error(None, str(refused))
            raise SaveRefused from refused
        except OSError as error:
            logger.exception("The photos of a report could not be stored")
            self.add_error(
                None,
                _(
                    "The photos could not be written on the server; nothing was saved. Try "
                    "again later, and tell the project office if it happens again."
                ),
            )
            raise SaveRefused from error


class LoginForm(AuthenticationForm):
    """Django's log-in form, but a name longer than any account's (User.username holds 150)
    gets the usual wrong-name-or-password error before authentication, so django-axes never
    records it."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()
