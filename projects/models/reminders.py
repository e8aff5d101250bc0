"""Reminders (催报, 督办): the in-app notifications, the record of every reminder sent, and the
copies that go out by e-mail or to a group robot (see projects/reminders/)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's inbox (the bell in the header). A person gets at most one
    scheduled digest a day, and at most one reminder a day sent by hand from the office."""

    class Source(models.TextChoices):
        DIGEST = "digest", _("Daily reminder")
        CHASE = "chase", _("Reminder from the project office")
        # A problem's step: asked to close (to the office), sent back or closed (to those who
        # answer for it). As many a day as there are steps.
        EVENT = "event", _("Problem update")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "date", "source"],
                condition=models.Q(source__in=["digest", "chase"]),
                name="notification_one_a_day",
                violation_error_message=_("This person already has this reminder today."),
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("projects:notification_list")


class ReminderItem(models.Model):
    """One reminder of one thing to one person for one period: the record that keeps the
    same reminder from being sent twice."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("Report due")
        REPORT_LATE = "report_late", _("Report late")
        PROBLEM_DUE = "problem_due", _("Problem deadline near")
        PROBLEM_OVERDUE = "problem_overdue", _("Problem overdue")
        CHASE = "chase", _("Reminder from the project office")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSURE_RETURNED = "closure_returned", _("Request for closure sent back")
        PROBLEM_CLOSED = "problem_closed", _("Problem closed")
        MONTH_SUBMITTED = "month_submitted", _("Month submitted")
        MONTH_ACCEPTED = "month_accepted", _("Month accepted")
        MONTH_RETURNED = "month_returned", _("Month returned")
        MONTH_CHASED = "month_chased", _("Month to submit")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # "project:12" or "problem:4": what the reminder is about.
    subject_key = models.CharField(_("about"), max_length=40)
    # The month reported ("2025-09"), the deadline ("2025-10-11") or the escalation level.
    period = models.CharField(_("period"), max_length=20)
    text = models.CharField(_("text"), max_length=500)

    class Meta:
        ordering = ["notification", "pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "period"],
                name="reminderitem_never_twice",
                violation_error_message=_("This reminder has already been sent."),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def url(self):
        """Where to act on the reminder: a missing report opens the report form on its month,
        a month to submit 报送情况 of that month, anything else the project's or the
        problem's page."""
        kind, _sep, pk = self.subject_key.partition(":")
        if not pk.isdigit():
            return ""
        if kind == "project" and self.kind != self.Kind.PROBLEM_DUE:
            year, _dash, month = self.period.partition(":")[0].partition("-")
            if year.isdigit() and month.isdigit():
                url = reverse("projects:report_create", args=[pk])
                return f"{url}?year={int(year)}&month={int(month)}"
        if kind == "submission":
            return reverse("projects:submissions")
        if kind == "region":  # 催报 of a district's month: 报送情况 of that month
            year, _dash, month = self.period.partition(":")[0].partition("-")
            return f"{reverse('projects:submissions')}?year={int(year)}&month={int(month)}"
        names = {"project": "projects:project_detail", "problem": "projects:problem_detail"}
        return reverse(names[kind], args=[pk]) if kind in names else ""


class Delivery(models.Model):
    """A copy of a notification sent by e-mail or to a group robot. A failed send keeps its
    error and is tried again on the next run of the schedule."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Failed, not retried")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    address = models.CharField(_("address"), max_length=500)
    # What makes a copy the same copy: the address and the notification for e-mail; the
    # address, the day and the text for a group robot, so that two contacts of one unit do
    # not post the same digest twice to the unit's group.
    fingerprint = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A copy that failed is tried again from then on (channels.retry_after).
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status"], name="delivery_status")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"
