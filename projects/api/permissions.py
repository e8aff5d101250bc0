"""Who may read the API: an account (by token or session) whose role reads the register."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class ReadsTheRegister(permissions.BasePermission):
    """Signed in (else 401), with a role that views projects (else 403); GET only (the views
    answer any other method with 405 before asking)."""

    message = _("Your account may not read the register.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return user.has_perm("projects.view_project")
