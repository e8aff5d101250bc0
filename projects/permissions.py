"""Who may use which page: the roles. What rows each role sees and changes within its
region is projects/scope.py's `restrict`.

Every page of the app uses one permission mixin, `RoleRequiredMixin`, and names the right
it asks for in one attribute, `permission_required` (a Django permission, or a tuple of
them, that the user's role grants through its group): `READ` for the pages every role
reads, e.g. "projects.change_problem" for the office's. A page that forgets to name its
right fails loudly (ImproperlyConfigured) instead of opening to everyone.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin

OFFICE = "project_office"
# Reading the register: every role (lead official, liaison, observer, office) has it; a
# unit contact reads problems only ("projects.view_problem").
READ = "projects.view_project"


def is_office(user):
    """Member of the project office (or a superuser); cached on the user for the request."""
    if not hasattr(user, "_jiefang_is_office"):
        user._jiefang_is_office = user.is_superuser or (
            user.is_authenticated and user.groups.filter(name=OFFICE).exists()
        )
    return user._jiefang_is_office


class RoleRequiredMixin(PermissionRequiredMixin):
    """A page for the roles that grant `permission_required`. A signed-in user without it
    gets 403 (a row outside their scope is the page's 404, through `restrict`); an anonymous
    visitor is sent to log in first (LoginRequiredMiddleware)."""

    permission_required: str | tuple[str, ...] | None = None
    raise_exception = True
