"""What every model of the register shares: money fields, validators, optimistic locking
and the status choices that pages and the engine agree on."""

import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.progress import problems
from projects.progress.lights import GREEN, NONE, RED, YELLOW

MONEY = {"max_digits": 14, "decimal_places": 2}

# Control characters that XML 1.0 (so .xlsx and .docx) cannot hold. Word's line break (\x0b)
# and page break (\x0c) become line breaks; the others carry nothing a reader sees.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def person_name(user):
    """How pages and notices name an account: the person's name, the user name only when the
    account has none (the office fills names in the admin)."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def project_of(instance, with_code=True):
    """The project a row belongs to, as its `__str__` names it (code and name); once the
    project is deleted, as its change log last recorded it, marked deleted, so that the
    admin's history pages of its reports, plans and milestones still open."""
    try:
        project = instance.project
        return str(project) if with_code else project.name
    except ObjectDoesNotExist:
        project = type(instance)._meta.get_field("project").related_model
        record = project.history.filter(id=instance.project_id).order_by("-history_date").first()
        return _("%(project)s (deleted)") % {
            "project": (f"{record.code} " if with_code else "") + record.name
            if record
            else f"#{instance.project_id}"
        }


def clean_text(value):
    """Text without the control characters a workbook or document cannot hold."""
    if value.__class__ is not str or value.isprintable():
        return value
    return _CONTROL.sub("", value.translate(_LINE_BREAKS))


def clean_text_fields(sender, instance, **kwargs):
    """pre_save for every model of the app: text comes in clean from forms, the admin and
    imports alike (connected in apps.py)."""
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            cleaned = clean_text(value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)


YEAR_VALIDATORS = [
    MinValueValidator(2000, message=_("The year must be between 2000 and 2100.")),
    MaxValueValidator(2100, message=_("The year must be between 2000 and 2100.")),
]

MONTH_VALIDATORS = [
    MinValueValidator(1, message=_("The month must be between 1 and 12.")),
    MaxValueValidator(12, message=_("The month must be between 1 and 12.")),
]


def non_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Amounts cannot be negative."), code="negative")


def not_in_future(value):
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("An actual date cannot be in the future."), code="future")


class StaleVersion(Exception):
    """Someone else saved the row since this copy was loaded (no update was made)."""


class Versioned(models.Model):
    """Optimistic locking: an UPDATE only succeeds at the version the editor loaded.

    Set `version` to the version the form was loaded at before saving; the UPDATE
    carries "WHERE version = loaded" and raises StaleVersion when another save came first.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._loaded_version = self.version if not self._state.adding else None
        if self._loaded_version is not None:
            self.version = self._loaded_version + 1
        try:
            # A savepoint, so that a refused update leaves an enclosing transaction usable.
            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
        except StaleVersion:
            self.version = self._loaded_version
            raise

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        loaded = getattr(self, "_loaded_version", None)
        if loaded is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=loaded), using, pk_val, values, update_fields, forced_update
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleVersion(self)
        return updated


class Light(models.TextChoices):
    """The pace light of a project, from DOMAIN.md."""

    GREEN = "green", _("On schedule")
    YELLOW = "yellow", _("Behind schedule")
    RED = "red", _("Seriously behind")
    # Neither a plan for the year nor a milestone: nothing to judge the pace by.
    NONE = "none", _("No plan")

    @classmethod
    def from_rank(cls, rank):
        return {NONE: cls.NONE, GREEN: cls.GREEN, YELLOW: cls.YELLOW, RED: cls.RED}[rank]

    @property
    def rank(self):
        return {self.NONE: NONE, self.GREEN: GREEN, self.YELLOW: YELLOW, self.RED: RED}[self]


class Escalation(models.IntegerChoices):
    """How far an overdue problem has been escalated: a level a week past its deadline."""

    NOT_DUE = problems.NOT_DUE, _("Not overdue")
    REMIND = problems.REMIND, _("Reminded")
    URGE = problems.URGE, _("Urged")
    SUPERVISE = problems.SUPERVISE, _("Supervised")


class ReportStatus(models.TextChoices):
    """Where a project's report for a month stands."""

    MISSING = "missing", _("Missing")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")
    # Still being planned, or completed before the month began (expected_to_report).
    NOT_EXPECTED = "not_expected", _("Not expected")
