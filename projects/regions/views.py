"""Pages of the regions: the districts side by side, 报送情况 (each district's month sent up,
accepted or returned) and its three steps, each a POST that calls
projects/regions/actions.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from projects.models import Meeting, Project, Region, RegionSubmission
from projects.permissions import READ, RoleRequiredMixin
from projects.progress.period import Period
from projects.scope import chosen_region, region_of
from projects.web.mixins import PeriodMixin

from . import actions


class SubmissionsView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """报送情况 of a month: for an office above districts, every district beneath it,
    submitted or not and how late against the due day, with accept and return; for a
    district's office, its own month and the button to submit it."""

    permission_required = "projects.change_meeting"
    template_name = "projects/regions/submissions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, user = self.period, self.request.user
        region = region_of(user) or Region.objects.heading()
        districts = list(Region.objects.restrict(user).districts())
        submissions = {
            submission.region_id: submission
            for submission in RegionSubmission.objects.restrict(user)
            .filter(year=period.year, month=period.month)
            .select_related("submitted_by", "decided_by")
        }
        held = set(
            Meeting.objects.restrict(user)
            .filter(year=period.year, month=period.month, date__lte=timezone.localdate())
            .values_list("region", flat=True)
        )
        due = actions.due_date(period)
        today = timezone.localdate()
        rows = []
        for district in districts:
            submission = submissions.get(district.pk)
            on = (
                timezone.localtime(submission.submitted_at).date()
                if submission and submission.state != RegionSubmission.State.RETURNED
                else today
            )
            rows.append(
                {
                    "region": district,
                    "submission": submission,
                    "meeting_held": district.pk in held,
                    "days_late": max((on - due).days, 0),
                    "own": district.pk == region.pk,
                }
            )
        return context | {
            "title": _("Submissions"),
            "rows": rows,
            "due": due,
            "above": region.kind != Region.Kind.DISTRICT,
        }


class SubmissionStepMixin(RoleRequiredMixin, View):
    """A step of 报送 or 退回, by POST; a refused step changes nothing and says why."""

    permission_required = "projects.change_meeting"
    http_method_names = ["post"]

    def back(self, period):
        return redirect(f"{reverse('projects:submissions')}?{period.query_string()}")

    def submission(self, pk):
        """A submission of a region beneath the user's (404 for a sibling's; 403 for the
        office's own: the level above decides)."""
        user = self.request.user
        submission = get_object_or_404(
            RegionSubmission.objects.restrict(user).select_related("region"), pk=pk
        )
        if submission.region_id == getattr(region_of(user), "pk", None):
            raise PermissionDenied(_("Your own month is accepted or returned by the level above."))
        return submission

    def step(self, period, action, *args, done):
        try:
            action(*args)
        except actions.Refused as refused:
            messages.error(self.request, str(refused))
        else:
            messages.success(self.request, done)
        return self.back(period)


class SubmitView(SubmissionStepMixin):
    """报送: a district's office sends its month (year, month) up."""

    def post(self, request):
        try:
            period = Period.from_params(request.POST)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("projects:submissions")
        region = region_of(request.user)
        if region is None or region.kind != Region.Kind.DISTRICT:
            raise PermissionDenied(_("Only a district's office submits its month."))
        return self.step(
            period,
            actions.submit,
            region,
            period,
            request.user,
            done=_("%(period)s is submitted; its reports are locked.") % {"period": period.label},
        )


class ChaseView(SubmissionStepMixin):
    """催报: remind a district beneath the office's region to submit the month."""

    def post(self, request):
        try:
            period = Period.from_params(request.POST)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("projects:submissions")
        region = get_object_or_404(
            Region.objects.restrict(request.user).districts(), code=request.POST.get("region", "")
        )
        if region.pk == getattr(region_of(request.user), "pk", None):
            raise PermissionDenied(
                _("The level above reminds a district, not the district itself.")
            )
        return self.step(
            period,
            actions.chase,
            region,
            period,
            request.user,
            done=_("%(region)s's office is reminded to submit %(period)s.")
            % {"region": region.name, "period": period.label},
        )


class AcceptView(SubmissionStepMixin):
    def post(self, request, pk):
        submission = self.submission(pk)
        period = Period(submission.year, submission.month)
        return self.step(
            period, actions.accept, submission, request.user, done=_("The month is accepted.")
        )


class ReturnView(SubmissionStepMixin):
    """退回 with the reason: the month unlocks for the district."""

    def post(self, request, pk):
        submission = self.submission(pk)
        period = Period(submission.year, submission.month)
        return self.step(
            period,
            actions.send_back,
            submission,
            request.user,
            request.POST.get("reason", ""),
            done=_("The month is returned with your reason."),
        )


class RegionsView(RoleRequiredMixin, PeriodMixin, TemplateView):
    """A region's districts side by side (?region=<code>, the user's own by default): each
    row adds up its district from the progress table's totals and opens its dashboard."""

    permission_required = READ
    template_name = "projects/regions/regions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period, user = self.period, self.request.user
        region = chosen_region(self.request) or region_of(user) or Region.objects.heading()
        projects = Project.objects.restrict(user, region=region)
        # One grouped query over the progress table's totals for every region beneath.
        groups, total = projects.summary(period, by=region)
        totals = {group["region_path"]: group for group in groups}
        missing = projects.missing_reports_beneath(period.year, period.month, region)
        rows = [
            {
                "region": child,
                "total": totals.get(child.path) or projects.empty_total(),
                "missing": missing.get(child.path) or 0,
            }
            for child in region.children.order_by("code")
        ]
        return context | {
            "title": _("Regions"),
            "region": region,
            "rows": rows,
            "total": total,
            "missing": sum(row["missing"] for row in rows),
        }
