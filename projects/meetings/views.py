"""Pages of the monthly meeting: meetings, the problem register, the packet and its PDF."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, TemplateView, View

from projects.exports.jobs import QueueFull
from projects.models import Meeting, MonthLock, Official
from projects.permissions import READ, RoleRequiredMixin
from projects.progress.period import Period
from projects.scope import heading_region, region_of
from projects.web.mixins import ObjectListView, PeriodMixin

from . import actions, issued, record
from .forms import MeetingForm, ProblemForm
from .packet import meeting_packet
from .pdf import pdf_redirect, pdf_response
from .tables import MeetingTable


class MeetingListView(ObjectListView):
    has_amounts = False
    table_class = MeetingTable
    model = Meeting
    filterset_fields = ["year"]
    title = _("Meetings")
    export_name = "meetings"
    permission_required = "projects.view_meeting"

    def get_queryset(self):
        return Meeting.objects.restrict(self.request.user).annotate(problem_count=Count("problems"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_form"] = None  # meetings are listed whatever the period
        if self.request.user.has_perm("projects.add_meeting"):
            context["actions"] = [(reverse("projects:meeting_create"), _("Open a meeting"))]
        return context


class MeetingCreateView(RoleRequiredMixin, CreateView):
    permission_required = "projects.add_meeting"
    form_class = MeetingForm
    template_name = "projects/form.html"
    extra_context = {"title": _("Open a meeting")}

    def get_initial(self):
        period = Period.collecting()  # the period every page opens on
        return {
            "year": period.year,
            "month": period.month,
            "number": Meeting.next_number(period.year, region_of(self.request.user)),
            "date": timezone.localdate(),
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The office's own region's meeting (the single district's for an account above all).
        kwargs["instance"] = Meeting(region=region_of(self.request.user) or None)
        return kwargs

    def form_valid(self, form):
        form.instance.title = form.instance.title or form.instance.default_title
        messages.success(self.request, _("The meeting is open."))
        return super().form_valid(form)


class MeetingDetailView(RoleRequiredMixin, DetailView):
    permission_required = "projects.view_meeting"
    template_name = "projects/meetings/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.restrict(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = self.object.period.as_of
        context["problems"] = (
            self.object.problems.with_overdue(as_of)
            .select_related("project", "responsible_unit")
            .order_by("pk")
        )
        if self.request.user.has_perm("projects.add_problem"):
            context["form"] = ProblemForm(meeting=self.object)
        context["lock"] = self.object.month_lock()
        context["may_lock"] = self.request.user.has_perms(MeetingLockView.permission_required)
        context["snapshots"] = list(
            self.object.snapshots.select_related("taken_by").order_by("issue")
        )
        context["may_reissue"] = self.request.user.has_perm(MeetingReissueView.permission_required)
        return context


def said_frozen(request, meetings):
    messages.info(
        request,
        _(
            "The packet, minutes, bulletin and ranking of %(meeting)s are frozen as they stand "
            "now, and will be printed so from now on."
        )
        % {"meeting": "、".join(str(meeting) for meeting in meetings)},
    )


def said_queued(request, meetings):
    messages.info(
        request,
        _(
            "The packet, minutes, bulletin and ranking of %(meeting)s are being frozen in the "
            "background (a large register): until then they print today's figures. Reload "
            "this page in a minute."
        )
        % {"meeting": "、".join(str(meeting) for meeting in meetings)},
    )


class MeetingLockView(RoleRequiredMixin, View):
    """Lock the month a meeting reviewed (its reports then change only through the office,
    and its meetings are frozen), or unlock it: POST action=lock|unlock, from the meeting
    page; action=freeze freezes a meeting opened after its month was locked."""

    permission_required = ("projects.add_monthlock", "projects.delete_monthlock")

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user), pk=pk)
        label = meeting.period.label
        action = request.POST.get("action")
        if action == "lock":
            frozen = actions.lock_month(request.user, meeting.region, meeting.year, meeting.month)
            messages.success(
                request,
                _("%(period)s is locked: lead officials can no longer add or change its reports.")
                % {"period": label},
            )
            if frozen:
                said_frozen(request, [snapshot.meeting for snapshot in frozen])
            if queued := list(record.unfrozen(meeting.region, meeting.year, meeting.month)):
                said_queued(request, queued)
        elif action == "unlock":
            try:
                actions.unlock_month(request.user, meeting.region, meeting.year, meeting.month)
            except actions.Refused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _(
                        "%(period)s is unlocked: lead officials can add and change its reports "
                        "again."
                    )
                    % {"period": label},
                )
        elif (
            action == "freeze"
            and MonthLock.on(meeting.year, meeting.month, meeting.region).exists()
        ):
            # A meeting opened after its month was locked is frozen when the office says so.
            if meeting.snapshots.exists() or record.freeze_or_queue(meeting, request.user):
                said_frozen(request, [meeting])
            else:
                said_queued(request, [meeting])
        else:
            messages.error(request, _("Choose to lock or to unlock the month."))
        return redirect(meeting)


class ProblemCreateView(RoleRequiredMixin, CreateView):
    """Record a problem raised at a meeting."""

    permission_required = "projects.add_problem"
    form_class = ProblemForm
    template_name = "projects/form.html"

    @cached_property
    def meeting(self):
        """Looked up once the permission is checked (anonymous is sent to log in first)."""
        return get_object_or_404(Meeting.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Record a problem: %(meeting)s") % {"meeting": self.meeting}
        }

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The problem is recorded."))
        return redirect(self.meeting.get_absolute_url())


class PacketMixin(RoleRequiredMixin):
    """The meeting packet, as HTML for printing or as PDF: as frozen once the meeting is
    held, from today's figures before."""

    permission_required = "projects.view_meeting"

    def meeting(self):
        return get_object_or_404(Meeting.objects.restrict(self.request.user), pk=self.kwargs["pk"])


class MeetingPrintView(PacketMixin, TemplateView):
    template_name = issued.PACKET

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | issued.packet_context(self.meeting(), self.request.GET.get("issue"))


class MeetingPdfView(PacketMixin, View):
    def get(self, request, pk):
        return issued.respond(issued.packet_pdf, self.meeting(), request.GET.get("issue"), request)


class OfficialPrintView(RoleRequiredMixin, TemplateView):
    """One official's part of the packet, for the latest meeting (or ?meeting=pk); its PDF
    is packet.pdf beside it. A frozen meeting's part is printed as it was frozen."""

    permission_required = READ
    template_name = issued.PACKET

    def get(self, request, *args, **kwargs):
        if request.GET.get("pdf") == "1":  # the former link: the PDF has its own URL now
            return pdf_redirect(request, "projects:official_pdf", kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        official = get_object_or_404(Official.objects.restrict(user), pk=self.kwargs["pk"])
        meetings = Meeting.objects.restrict(user).order_by("-date")
        meeting_pk = self.request.GET.get("meeting")
        meeting = (
            get_object_or_404(meetings, pk=meeting_pk)
            if meeting_pk and meeting_pk.isascii() and meeting_pk.isdigit()
            else meetings.first()
        )
        if meeting is None:
            raise Http404(_("No meeting has been opened yet."))
        context = super().get_context_data(**kwargs)
        snapshot = issued.snapshot_or_404(meeting, self.request.GET.get("issue"))
        part = snapshot.parts.get(str(official.pk)) if snapshot is not None else None
        if part is not None:
            return context | issued.frozen_packet(snapshot, part) | {"official": official}
        return context | meeting_packet(meeting, official)


class OfficialPdfView(OfficialPrintView):
    """One official's part of the packet as a PDF (officials/<pk>/packet.pdf)."""

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        filename = f"{context['meeting']} {context['official'].name}.pdf"
        return pdf_response(self.template_name, context, request, filename)


class DocumentMixin(RoleRequiredMixin):
    """A region's Word document; a problem with the office's own template is said on the next
    page. A document of more projects than a request should wait for is built in the
    background: the request queues it and goes to the job's page (progress, then the file)."""

    permission_required = READ

    def send(self, document):
        if document.problem:
            messages.warning(self.request, document.problem)
        return document.response()

    def deliver(self, kind, period, build, meeting=None, region=None):
        issue = self.request.GET.get("issue")
        count = issued.project_count(meeting, region)
        if not issued.in_background(count):
            return self.send(build())
        try:
            job = issued.queue_document(
                self.request.user, kind, period, count, meeting, region, issue
            )
        except QueueFull as error:
            messages.error(self.request, str(error))
            return redirect(meeting or "projects:export_list")
        return redirect(job)


class MeetingMinutesDocxView(DocumentMixin, View):
    """会议纪要 of a meeting, as .docx: as frozen once the meeting is held (?issue=N for an
    earlier issue)."""

    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user), pk=pk)
        issue = request.GET.get("issue")
        issued.snapshot_or_404(meeting, issue)  # an issue that does not exist: 404 now
        return self.deliver(
            "minutes", meeting.period, lambda: issued.minutes_docx(meeting, issue), meeting
        )


class MeetingBulletinDocxView(DocumentMixin, View):
    """月度通报 of the month a meeting reviewed, as .docx: as frozen with the meeting once it
    is held (?issue=N for an earlier issue), from today's figures before."""

    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.restrict(request.user), pk=pk)
        issue = request.GET.get("issue")
        issued.snapshot_or_404(meeting, issue)
        return self.deliver(
            "bulletin", meeting.period, lambda: issued.bulletin_docx(meeting, issue), meeting
        )


class BulletinDocxView(DocumentMixin, PeriodMixin, View):
    """月度通报 of a month (?year=&month=), as .docx: the latest issue frozen with a held
    meeting of that month, or today's figures when no meeting of it is held."""

    def get(self, request):
        region = heading_region(request.user)
        return self.deliver(
            "bulletin",
            self.period,
            lambda: issued.month_bulletin_docx(self.period, region),
            region=region,
        )


class MeetingReissueView(RoleRequiredMixin, View):
    """更正重发: freeze a held meeting's documents again as a correction, with its reason,
    beside the original (which stays as it was)."""

    permission_required = "projects.add_meetingsnapshot"

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        reason = request.POST.get("reason", "").strip()
        if not meeting.snapshots.exists():
            messages.error(
                request,
                _(
                    "This meeting is not frozen yet: its documents follow today's figures. "
                    "Lock its month to freeze them."
                ),
            )
        elif not reason:
            messages.error(request, _("Say what the correction corrects."))
        elif len(reason) > REASON_LIMIT:
            messages.error(
                request,
                _("The reason is limited to %(limit)s characters.") % {"limit": REASON_LIMIT},
            )
        else:
            snapshot = record.freeze_or_queue(meeting, request.user, reason)
            if snapshot is None:
                messages.success(
                    request,
                    _(
                        "The correction is being issued in the background: the documents as "
                        "they stand now, kept beside the original. Reload this page in a "
                        "minute to print it."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(label)s issued: the documents as they stand now, kept beside the "
                        "original."
                    )
                    % {"label": snapshot.label},
                )
        return redirect(meeting)


REASON_LIMIT = 500
