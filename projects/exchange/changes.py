"""What an imported row changes, in words for the preview (part of Importer)."""

from django.db import models
from django.utils.translation import gettext as _

from .reading import Change
from .template import STAGE_NAMES


class Changes:
    """Importer's record of the values a row changes (it gives `related`, the rows a
    foreign key may name, by primary key)."""

    @staticmethod
    def shown_months(months):
        return "/".join(f"{amount:g}" for amount in months) if months else _("linear")

    def apply(self, instance, values, columns):
        """Set on `instance` the values that differ from what it holds; return them as
        {field: Change} in words, for the preview (a value emptied is a clearing)."""
        changes = {}
        for name, value in values.items():
            attname = instance._meta.get_field(name).attname
            old = getattr(instance, attname)
            if old != (value.pk if isinstance(value, models.Model) else value):
                changes[name] = Change(
                    columns[name],
                    self.shown(name, old),
                    self.shown(name, value),
                    cleared=value in (None, "") and old not in (None, ""),
                )
                setattr(instance, name, value)
        return changes

    def shown(self, name, value):
        if name in self.related and value is not None and not isinstance(value, models.Model):
            value = self.related[name].get(value)
        if value is None or value == "":
            return "—"
        if name == "stage":
            return STAGE_NAMES.get(value, value)
        return value.name if isinstance(value, models.Model) else str(value)
