"""Who may change what: the project office everything, a lead official or liaison their projects."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q

OFFICE = "project_office"


def is_office(user):
    """Member of the project office (or a superuser); cached on the user for the request."""
    if not hasattr(user, "_jiefang_is_office"):
        user._jiefang_is_office = user.is_superuser or (
            user.is_authenticated and user.groups.filter(name=OFFICE).exists()
        )
    return user._jiefang_is_office


def reportable_filter(user):
    """Projects the user leads (through Official.user) or is a named liaison of."""
    return Q(lead_official__user=user) | Q(liaisons=user)


def reportable_projects(queryset, user):
    """The projects of `queryset` that `user` may report on."""
    if is_office(user):
        return queryset
    if not user.has_perm("projects.add_monthlyreport"):
        return queryset.none()
    return queryset.filter(
        pk__in=queryset.model.objects.filter(reportable_filter(user)).values("pk")
    )


class ReadMixin(PermissionRequiredMixin):
    """Pages every role may read; a user with no role gets 403."""

    permission_required = "projects.view_project"
    raise_exception = True


class OfficeMixin(PermissionRequiredMixin):
    """Pages that change the meeting record: the project office only."""

    raise_exception = True
