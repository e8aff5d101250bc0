"""Pages of the problem register and of answering for a problem: the register, a problem's
page with its steps, my problems (phone first), progress notes and requests for closure,
the office's closing or sending back, and the 督办单."""

from django.contrib import messages
from django.db.models import F, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, UpdateView, View

from projects.meetings.pdf import pdf_redirect, pdf_response
from projects.models import DocumentNumber, Escalation, Problem, ProblemUpdate, StaleVersion
from projects.permissions import RoleRequiredMixin, is_office
from projects.progress.workdays import add_working_days
from projects.web.forms import conflict_message
from projects.web.mixins import ObjectListView

from . import actions
from .filters import ProblemFilterSet
from .forms import AnswerForm, ProblemCloseForm, ReturnForm
from .tables import ProblemTable

# The unit answers a 督办单 within this many working days of its date.
NOTICE_REPLY_WORKDAYS = 3


def register(user, as_of=None):
    """The problems `user` may see, each judged overdue and escalated as of today."""
    return (
        Problem.objects.restrict(user)
        .with_overdue(as_of or timezone.localdate())
        .select_related("project__lead_official", "meeting", "responsible_unit")
    )


class ProblemListView(ObjectListView):
    has_amounts = False
    table_class = ProblemTable
    filterset_class = ProblemFilterSet
    title = _("Problem register")
    export_name = "problems"
    permission_required = "projects.view_problem"

    def get_queryset(self):
        return register(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_form"] = None  # the register is judged today
        return context


class ProblemDetailView(RoleRequiredMixin, DetailView):
    permission_required = "projects.view_problem"
    template_name = "projects/supervision/problem_detail.html"

    def get_queryset(self):
        return register(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        problem, user = self.object, self.request.user
        is_open = problem.status == Problem.Status.OPEN
        if is_open and user.has_perm("projects.change_problem"):
            context["close_form"] = ProblemCloseForm(
                instance=problem, initial={"closing_note": self.requested_note()}
            )
            if problem.closure_requested_at:
                context["return_form"] = ReturnForm()
        if is_open and Problem.objects.filter(pk=problem.pk).restrict(user, "change").exists():
            context["answer_form"] = AnswerForm()
        context["updates"] = problem.updates.select_related("author")
        context["may_print_notice"] = problem.escalation == Escalation.SUPERVISE and user.has_perm(
            "projects.change_problem"
        )
        context["history"] = problem.history.select_related("history_user").order_by(
            "-history_date"
        )
        return context

    def requested_note(self):
        """The office's closing note starts from what the unit said when asking to close."""
        if not self.object.closure_requested_at:
            return ""
        request = self.object.updates.filter(kind=ProblemUpdate.Kind.CLOSURE_REQUESTED).last()
        return request.note if request else ""


class MyProblemsView(RoleRequiredMixin, ListView):
    """我的问题: what a unit contact, a lead official or a liaison answers for; for the office,
    every open problem, those asking to be closed first. Cards, for a phone."""

    permission_required = "projects.add_problemupdate"
    template_name = "projects/supervision/my_problems.html"
    paginate_by = 30

    @property
    def show_closed(self):
        return self.request.GET.get("state") == "closed"

    def get_queryset(self):
        latest = ProblemUpdate.objects.filter(problem=OuterRef("pk")).order_by("-created_at", "-pk")
        problems = (
            register(self.request.user)
            .restrict(self.request.user, "change")
            .annotate(
                last_step=Subquery(latest.values("kind")[:1]),
                last_note=Subquery(latest.values("note")[:1]),
            )
        )
        if self.show_closed:
            return problems.filter(status=Problem.Status.CLOSED).order_by("-closed_at", "-pk")
        return problems.filter(status=Problem.Status.OPEN).order_by(
            F("closure_requested_at").asc(nulls_last=True), "-escalation", "deadline", "pk"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("My problems"),
            "show_closed": self.show_closed,
            "is_office": is_office(self.request.user),
        }


def form_errors(form):
    """A refused form's messages, for the message shown on the problem's page."""
    return _("; ").join(str(error) for errors in form.errors.values() for error in errors)


class AnswerMixin(RoleRequiredMixin):
    """A POST on an open problem the user may act on; anything else changes nothing (each
    step names its right)."""

    http_method_names = ["post"]

    def problem(self, pk):
        """The problem, when the user may act on it (404 otherwise: not theirs to know of)."""
        return get_object_or_404(Problem.objects.restrict(self.request.user, "change"), pk=pk)

    def refuse(self, problem, message):
        messages.error(self.request, message)
        return redirect(problem.get_absolute_url())


class ProblemAnswerView(AnswerMixin, View):
    """A progress note (处理进展) or a request for closure (申请销号), with a note."""

    permission_required = "projects.add_problemupdate"

    def post(self, request, pk):
        problem = self.problem(pk)
        form = AnswerForm(request.POST)
        if problem.status != Problem.Status.OPEN:
            return self.refuse(problem, _("This problem is closed; nothing was recorded."))
        if not form.is_valid():
            return self.refuse(
                problem, _("Nothing was recorded: %(errors)s") % {"errors": form_errors(form)}
            )
        kind = form.cleaned_data["kind"]
        step = (
            actions.request_closure
            if kind == ProblemUpdate.Kind.CLOSURE_REQUESTED
            else actions.record_progress
        )
        try:
            step(request.user, problem, form.cleaned_data["note"])
        except actions.Refused as refused:
            return self.refuse(problem, str(refused))
        messages.success(
            request,
            _("Closure is asked for; the project office will decide.")
            if kind == ProblemUpdate.Kind.CLOSURE_REQUESTED
            else _("The progress note is recorded."),
        )
        return redirect(problem.get_absolute_url())


class ProblemReturnView(AnswerMixin, View):
    """The office sends a request for closure back, with the reason."""

    permission_required = "projects.change_problem"

    def post(self, request, pk):
        problem = self.problem(pk)
        form = ReturnForm(request.POST)
        if problem.status != Problem.Status.OPEN or not problem.closure_requested_at:
            return self.refuse(problem, _("No request for closure is waiting on this problem."))
        if not form.is_valid():
            return self.refuse(
                problem, _("Not sent back: %(errors)s") % {"errors": form_errors(form)}
            )
        try:
            actions.return_request(request.user, problem, form.cleaned_data["reason"])
        except actions.Refused as refused:
            return self.refuse(problem, str(refused))
        messages.success(request, _("The request is sent back with your reason."))
        return redirect(problem.get_absolute_url())


class ProblemCloseView(RoleRequiredMixin, UpdateView):
    """Close an item (销号) with a note: a request for closure is approved this way."""

    permission_required = "projects.change_problem"
    model = Problem
    form_class = ProblemCloseForm
    template_name = "projects/form.html"
    http_method_names = ["post"]

    def get_queryset(self):
        return Problem.objects.restrict(self.request.user, "change")

    def post(self, request, *args, **kwargs):
        problem = self.get_object()
        if problem.status == Problem.Status.CLOSED:
            # Closing again would overwrite the closing note (the version alone does not
            # stop a form posted at the version the closed problem now holds).
            messages.error(
                request, _("This problem is already closed; its closing note was not changed.")
            )
            return redirect(problem.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            actions.close_problem(self.request.user, form.instance, form.instance.closing_note)
        except StaleVersion:
            form.add_error(None, conflict_message(form.instance, form.instance.version))
            return self.form_invalid(form)
        except actions.Refused as refused:
            messages.error(self.request, str(refused))
            return redirect(form.instance.get_absolute_url())
        messages.success(self.request, _("The problem is closed."))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("Close a problem")}


class ProblemNoticeView(RoleRequiredMixin, DetailView):
    """督办单: the supervision notice of a problem at the 督办 level, on one A4 page (its PDF
    is notice.pdf beside it)."""

    permission_required = "projects.change_problem"
    template_name = "projects/supervision/notice.html"

    def get_queryset(self):
        return register(self.request.user).filter(escalation=Escalation.SUPERVISE)

    def get_context_data(self, **kwargs):
        problem = self.object
        today = timezone.localdate()
        # Numbered per year in the order first issued; printed again, it keeps its number.
        number = DocumentNumber.issue(
            problem.project.region, DocumentNumber.Kind.SUPERVISION, f"problem:{problem.pk}"
        )
        return super().get_context_data(**kwargs) | {
            "title": _("Supervision notice"),
            "number": _("%(prefix)s supervision [%(year)s] no. %(number)s")
            % {
                "prefix": problem.project.region.name[:1],
                "year": number.year,
                "number": number.serial,
            },
            "today": today,
            "reply_by": add_working_days(today, NOTICE_REPLY_WORKDAYS, strict=False),
            "days_overdue": (today - problem.deadline).days,
            "updates": problem.updates.select_related("author"),
            "issuer": problem.project.region.reporting_unit_name,
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("pdf") == "1":  # the former link: the PDF has its own URL now
            return pdf_redirect(request, "projects:problem_notice_pdf", kwargs["pk"])
        return super().get(request, *args, **kwargs)


class ProblemNoticePdfView(ProblemNoticeView):
    """The 督办单 as a PDF (notice.pdf)."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return pdf_response(
            self.template_name,
            self.get_context_data(object=self.object),
            request,
            f"{_('Supervision notice')}-{self.object.pk}.pdf",
        )
