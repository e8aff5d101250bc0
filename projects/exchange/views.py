"""Pages of the Excel import: its templates, the upload with preview and confirmation, progress."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from projects.permissions import READ, RoleRequiredMixin

from . import actions, preview, template, writing
from .container import MAX_UPLOAD
from .xlsx import xlsx_response


class ImportTemplateView(RoleRequiredMixin, View):
    """A blank import template (?kind=projects or progress) with its 说明 sheet."""

    permission_required = READ

    def get(self, request):
        kind = request.GET.get("kind", "projects")
        if kind not in template.HEADERS:
            raise Http404(_("Unknown template."))
        name = _("project template") if kind == "projects" else _("progress template")
        return xlsx_response(template.template_workbook(kind), str(name))


class ImportView(RoleRequiredMixin, TemplateView):
    """Upload → preview (nothing written) → confirm, for the project office.

    The page tags an upload with a random token and, while the server reads and checks the
    rows, asks projects:import_progress how far it has got.
    """

    permission_required = "projects.add_project"
    template_name = "projects/exchange/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | {"title": _("Import from Excel")}
        if result := context.get("result"):
            context["preview_rows"] = f":{preview.PREVIEW_ROWS}"
            context["preview_hidden"] = preview.hidden_rows(result)
        return context

    def post(self, request):
        kind = request.POST.get("kind")
        if kind not in template.HEADERS:
            messages.error(request, _("Choose what the workbook contains."))
            return self.get(request)
        progress = preview.progress_reporter(request.user, request.POST.get("progress"))
        token = request.POST.get("token", "")
        if token:
            return self.confirm(request, kind, token, progress)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a workbook to upload."))
            return self.get(request)
        if upload.size > MAX_UPLOAD:
            messages.error(request, _("The file is over 5 MB; split it and import the parts."))
            return self.get(request)
        data = upload.read()
        result = actions.import_workbook(request.user, kind, data, dry_run=True, progress=progress)
        token = (
            preview.keep_upload(request.user, data, writing.fingerprint(result))
            if result.ok
            else ""
        )
        return self.render_to_response(
            self.get_context_data(result=result, kind=kind, token=token, filename=upload.name)
        )

    def confirm(self, request, kind, token, progress):
        taken = preview.take_upload(request.user, token)
        if taken is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("projects:import")
        data, seen = taken
        result = actions.import_workbook(
            request.user, kind, data, dry_run=False, progress=progress, expected=seen
        )
        if not result.ok:
            return self.render_to_response(self.get_context_data(result=result, kind=kind))
        messages.success(
            request,
            _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
            % {
                "create": len(result.create),
                "update": len(result.update),
                "unchanged": len(result.unchanged),
            },
        )
        return redirect("projects:import")


class ImportProgressView(RoleRequiredMixin, View):
    """How far the server has got with an upload: {"text": …, "percent": … or null}; empty
    for a token it has not heard of (the check has not begun, or it is another user's)."""

    permission_required = "projects.add_project"

    def get(self, request):
        return JsonResponse(preview.progress_of(request.user, request.GET.get("token")))
