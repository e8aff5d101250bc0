"""The office's admin of meetings and the problem register."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from projects.models import DocumentTemplate, Meeting, Problem, ProblemUpdate, Region
from projects.register.admin import RecordInline, RegionScopedAdmin, VersionedAdmin, related_only
from projects.web.forms import VersionedModelForm

from . import docx_file, trial


class ProblemInline(admin.TabularInline):
    model = Problem
    form = VersionedModelForm  # a problem saved by someone else is not overwritten
    extra = 0
    fields = [
        "project",
        "description",
        "responsible_unit",
        "disposition",
        "deadline",
        "status",
        "loaded_version",
    ]
    autocomplete_fields = ["project", "responsible_unit"]


@admin.register(Meeting)
class MeetingAdmin(RegionScopedAdmin, admin.ModelAdmin):
    list_display = ["number", "date", "year", "month", "title"]
    list_filter = ["year"]
    search_fields = ["title", "minutes"]
    inlines = [ProblemInline]


class ProblemUpdateInline(RecordInline):
    """The problem's handling, as recorded on its page."""

    model = ProblemUpdate
    fields = ["created_at", "author", "kind", "note"]


@admin.register(Problem)
class ProblemAdmin(RegionScopedAdmin, VersionedAdmin):
    list_display = [
        "description",
        "project",
        "meeting",
        "responsible_unit",
        "disposition",
        "deadline",
        "status",
    ]
    list_filter = ["status", "disposition", *related_only("meeting", "project__zone")]
    list_select_related = ["project", "meeting", "responsible_unit"]
    search_fields = ["description", "project__code", "project__name"]
    autocomplete_fields = ["project", "responsible_unit"]
    show_full_result_count = False
    inlines = [ProblemUpdateInline]


class DocumentTemplateForm(forms.ModelForm):
    """An uploaded template is tried on the latest meeting (or month) before it is accepted."""

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "region", "file"]

    def clean(self):
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("file")
        region = cleaned.get("region") or Region.objects.single_district()
        if upload and hasattr(upload, "read") and upload.size > docx_file.MAX_UNPACKED:
            self.add_error(
                "file",
                _("The file is larger than %(limit)s MB, more than a Word template ever is.")
                % {"limit": docx_file.MAX_UNPACKED // docx_file.MB},
            )
        elif kind and region and upload and hasattr(upload, "read"):
            upload.seek(0)
            problem = trial.try_template(kind, upload.read(), region)
            upload.seek(0)
            if problem:
                self.add_error("file", problem)
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(RegionScopedAdmin, admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "region", "file", "uploaded_at"]
    list_select_related = ["region"]
