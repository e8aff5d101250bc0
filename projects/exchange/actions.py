"""The import's writes (导入): every workbook a user or a command brings in is checked and
written through `import_workbook`, the page's preview and confirmation and the import
commands alike."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .reading import silent
from .writing import run_import

PERMISSION = "projects.add_project"


def import_workbook(
    user: User | None,
    kind: str,
    data: bytes,
    dry_run: bool = True,
    progress: Callable[..., Any] = silent,
    expected: Any = None,
) -> Any:
    """Check a workbook of `kind` and, unless `dry_run` or a row is bad, write it all in one
    transaction attributed to `user` (None: a command run without --user). Refused to an
    account without the right to import; each row is checked against the regions the
    account acts in by the importer (a sibling district's code is a bad row)."""
    if user is not None and not user.has_perm(PERMISSION):
        raise PermissionDenied(_("You cannot import workbooks."))
    return run_import(kind, data, user=user, dry_run=dry_run, progress=progress, expected=expected)
