"""ActionAdmin: every write of an admin page is an action. A change page's row with its
inlines, a list's edited rows, a deletion (one, or a list's selection) are handed to the
admin's `save_action` and `delete_action`: projects/actions.py's `save_edit` and
`delete_rows` (each row checked within the acting account's scope), or its concern's own
(projects/register/actions.py, projects/meetings/actions.py). The admin writes no model
itself. A refusal rolls the whole request back (the admin's log entry too) and shows its
reason in Chinese; nothing is written."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from projects import actions


def edit_of(form, formsets):
    """The page as posted, for the action: its row (made by the admin's `save_form`, not
    saved) and each inline's rows to save and to delete."""
    inlines = []
    for formset in formsets:
        saved = formset.save(commit=False)
        inlines.append(
            actions.Inline(
                saved=saved, deleted=list(formset.deleted_objects), save_m2m=formset.save_m2m
            )
        )
    return actions.Edit(row=form.instance, save_m2m=form.save_m2m, inlines=inlines)


class ActionAdmin:
    """The admin of a model whose writes are actions (put before SimpleHistoryAdmin and
    ModelAdmin in the bases). `refusals` are the exceptions shown as the page's error."""

    save_action = staticmethod(actions.save_edit)
    delete_action = staticmethod(actions.delete_rows)
    refusals: tuple[type[Exception], ...] = (actions.Refused,)

    def save_model(self, request, obj, form, change):
        """Nothing yet on a change page: the row is saved with its inlines by the action
        (save_related). simple_history's page of an old version (history_form_view), whose
        还原 calls no save_related, saves the row alone through it here."""
        if getattr(request, "_jiefang_history_form", False):
            self.save_action(request.user, actions.Edit(row=obj))

    def save_related(self, request, form, formsets, change):
        self.save_action(request.user, edit_of(form, formsets))

    def delete_model(self, request, obj):
        self.delete_action(request.user, [obj])

    def delete_queryset(self, request, queryset):
        self.delete_action(request.user, queryset)

    def refusing(self, request, view, back, *args, **kwargs):
        """Run a page's POST in one transaction: refused, it is rolled back and the page
        `back` shows why."""
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args, **kwargs)
        except self.refusals as refused:
            self.message_user(request, refused_message(refused), messages.ERROR)
            return HttpResponseRedirect(back)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        back = request.get_full_path()
        return self.refusing(request, view, back, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        return self.refusing(request, view, request.get_full_path(), extra_context)

    def outside(self, request, object_id):
        """Whether the row exists but is not one of this admin's (its list is scoped):
        simple_history's pages read a row from its history, not through the list."""
        if self.get_object(request, object_id) is not None:
            return False
        try:
            return self.model._base_manager.filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            return False

    def history_view(self, request, object_id, extra_context=None):
        """The row's history (simple_history's, or Django's): another region's row is not
        found, as on its change page."""
        if self.outside(request, unquote(object_id)):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple_history's page of an old version (SimpleHistoryAdmin's): another region's
        row is not found; its 还原 writes through the action, which checks the row again."""
        if self.outside(request, unquote(object_id)):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        request._jiefang_history_form = True
        view = super().history_form_view
        back = request.get_full_path()
        return self.refusing(request, view, back, object_id, version_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        back = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[object_id],
        )
        return self.refusing(request, super().delete_view, back, object_id, extra_context)


def refused_message(refused):
    """The refusal's sentence (a PermissionDenied or a concern's Refused, made of one)."""
    return " ".join(str(arg) for arg in refused.args) or str(refused)
