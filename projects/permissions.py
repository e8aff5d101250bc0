"""Who may use which page: the roles. What rows each role sees and changes within its
region is projects/scope.py's `restrict`."""

from django.contrib.auth.mixins import PermissionRequiredMixin

OFFICE = "project_office"


def is_office(user):
    """Member of the project office (or a superuser); cached on the user for the request."""
    if not hasattr(user, "_jiefang_is_office"):
        user._jiefang_is_office = user.is_superuser or (
            user.is_authenticated and user.groups.filter(name=OFFICE).exists()
        )
    return user._jiefang_is_office


class ReadMixin(PermissionRequiredMixin):
    """Pages every role may read; a user with no role gets 403."""

    permission_required = "projects.view_project"
    raise_exception = True


class OfficeMixin(PermissionRequiredMixin):
    """Pages that change the meeting record: the project office only."""

    raise_exception = True
