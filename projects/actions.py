"""The admin's own change forms as actions: a row with its inlines saved (`save_edit`) and
rows deleted (`delete_rows`), within the acting user's scope (projects/scope.py) or refused
with the reason in Chinese and nothing written. Every page of the admin calls them through
`ActionAdmin` (projects/action_admin.py); a concern's actions.py adds its own steps
around them (an annual plan's quarters, a milestone template, a month's lock).

The check, for each row written: the row as it is (an existing one) is one of
`Model.objects.restrict(user, "change")`; the row as saved still is (a project moved to a
sibling's region is not, nor a new row of a sibling's project); and every region-owned row it
names anew (a zone, a unit) is one the user sees. A model without a region (a milestone
template) has no scope: the admin's model permissions are its check."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from projects.scope import REGION, RestrictedQuerySet

AnyUser = User | AnonymousUser


class Refused(PermissionDenied):
    """The write is not within the user's scope; the message says why, in words for the
    page. Nothing was written (the action's transaction rolled back)."""


def _nothing() -> None:
    """The m2m step of a form that has none."""


@dataclass
class Inline:
    """An inline's part of a page: its rows to save (new or changed), to delete, and its
    many-to-many fields to save once the rows are."""

    saved: list[models.Model] = field(default_factory=list)
    deleted: list[models.Model] = field(default_factory=list)
    save_m2m: Callable[[], None] = _nothing


@dataclass
class Edit:
    """A change page as posted: its row (not saved yet), the row's many-to-many fields to save
    after it, and its inlines."""

    row: models.Model
    save_m2m: Callable[[], None] = _nothing
    inlines: list[Inline] = field(default_factory=list)


def _scoped(model: type[models.Model]) -> RestrictedQuerySet | None:
    """The model's rows as a restrictable queryset; None for a model without a region."""
    if model._meta.model_name not in REGION:
        return None
    rows = model._default_manager.all()
    return rows if isinstance(rows, RestrictedQuerySet) else None


def _label(row: models.Model) -> str:
    return f"{row._meta.verbose_name}“{row}”"


def _not_yours(row: models.Model) -> Refused:
    return Refused(
        _("%(row)s is not yours to change: it belongs to another region or role.")
        % {"row": _label(row)}
    )


class Scope:
    """What `user` may write, each row asked of the database (projects/scope.py)."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user

    def _may(self, model: type[models.Model], pk: object, action: str) -> bool:
        rows = _scoped(model)
        return rows is None or rows.restrict(self.user, action).filter(pk=pk).exists()

    def check_existing(self, row: models.Model) -> dict[str, object]:
        """Refused unless the row, as the database holds it, is the user's to change;
        returns its foreign keys as they stand (empty for a new row)."""
        rows = _scoped(type(row))
        if rows is None or row._state.adding or row.pk is None:
            return {}
        keys = [f.attname for f in row._meta.concrete_fields if f.is_relation]
        stored = rows.restrict(self.user, "change").filter(pk=row.pk).values(*keys).first()
        if stored is None:
            raise _not_yours(row)
        return stored

    def check_named(self, row: models.Model, stored: dict[str, object]) -> None:
        """Refused when the row names anew (a new row: at all) a region-owned row the user
        does not see: a sibling district's zone or unit. Its owner (its region, or the
        project it belongs to) is checked once saved (check_saved)."""
        owner = REGION.get(row._meta.model_name or "", "").split("__")[0]
        for key in row._meta.concrete_fields:
            related = key.related_model if key.many_to_one or key.one_to_one else None
            if key.name == owner or not isinstance(related, type) or _scoped(related) is None:
                continue
            value = getattr(row, key.attname)
            if value is None or (key.attname in stored and stored[key.attname] == value):
                continue
            if not self._may(related, value, "view"):
                raise Refused(
                    _("%(row)s cannot name a %(other)s of another region.")
                    % {"row": _label(row), "other": related._meta.verbose_name}
                )

    def check_saved(self, row: models.Model) -> None:
        """Refused unless the row as just saved (inside the transaction) is still the
        user's to change: not moved to another region, not a new row beneath another's."""
        if not self._may(type(row), row.pk, "change"):
            raise Refused(
                _("%(row)s would belong to another region: you can write only within your own.")
                % {"row": _label(row)}
            )

    def save(self, row: models.Model, save_m2m: Callable[[], None] = _nothing) -> None:
        """Save one row, checked before and after, once (one history record)."""
        stored = self.check_existing(row)
        self.check_named(row, stored)
        row._history_user = self.user  # type: ignore[attr-defined]
        row.save()
        self.check_saved(row)
        save_m2m()

    def others(self, rows: Sequence[models.Model]) -> list[models.Model]:
        """Those of the stored `rows` that are not the user's to change (one query per
        model)."""
        others = []
        for model in {type(row) for row in rows}:
            scoped = _scoped(model)
            if scoped is None:
                continue
            pks = [row.pk for row in rows if type(row) is model]
            mine = set(
                scoped.restrict(self.user, "change").filter(pk__in=pks).values_list("pk", flat=True)
            )
            others += [row for row in rows if type(row) is model and row.pk not in mine]
        return others

    def delete(self, rows: Iterable[models.Model]) -> None:
        """Delete the rows, each one the user's to change, or none."""
        rows = list(rows)
        for row in self.others(rows)[:1]:
            raise _not_yours(row)
        for row in rows:
            row._history_user = self.user  # type: ignore[attr-defined]
            row.delete()


@transaction.atomic
def save_edit(user: AnyUser, edit: Edit) -> models.Model:
    """Save a change page as `user` posted it: the row, then each inline's deletions, changed
    and new rows; every row checked within `user`'s scope, or Refused and nothing written."""
    scope = Scope(user)
    scope.save(edit.row, edit.save_m2m)
    for inline in edit.inlines:
        scope.delete(inline.deleted)
        for row in inline.saved:
            scope.save(row)
        inline.save_m2m()
    return edit.row


@transaction.atomic
def delete_rows(user: AnyUser, rows: Iterable[models.Model]) -> int:
    """Delete rows (a page's one, or a list's selection) as `user`: every one of them the
    user's to change, or Refused and none deleted. Returns how many were deleted."""
    rows = list(rows)
    Scope(user).delete(rows)
    return len(rows)
