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


def sees_whole_register(user):
    """Whether `user` reads every problem of the register (the roles that read the register;
    a unit contact sees their own units' problems only)."""
    return user.has_perm("projects.view_project")


def visible_problems(queryset, user):
    """The problem register as `user` may see it: whole for the roles that read the register,
    a unit contact's (责任单位联系人) own units' problems otherwise."""
    if sees_whole_register(user):
        return queryset
    if not user.has_perm("projects.view_problem"):
        return queryset.none()
    return queryset.filter(responsible_unit__contacts=user)


def answerable_filter(user):
    """Problems a user answers for: their units' (as contact) and their projects' (as lead
    official or liaison)."""
    return (
        Q(responsible_unit__contacts=user)
        | Q(project__lead_official__user=user)
        | Q(project__liaisons=user)
    )


def answerable_problems(queryset, user):
    """The problems of `queryset` that `user` may post progress on and ask to close."""
    if is_office(user):
        return queryset
    if not user.has_perm("projects.add_problemupdate"):
        return queryset.none()
    return queryset.filter(
        pk__in=queryset.model.objects.filter(answerable_filter(user)).values("pk")
    )
