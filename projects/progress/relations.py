"""Helpers the engine's querysets share."""

from .period import Period


def as_period(year, month):
    """A Period from (year, month), or the Period given as `year`."""
    return year if isinstance(year, Period) else Period(int(year), int(month))


def related(model, *names):
    """The models behind `model`'s relations: the engine reads them through the Project model
    it is the manager of, so that it imports no model module (see docs/architecture.md)."""
    models = [model._meta.get_field(name).related_model for name in names]
    return models[0] if len(models) == 1 else models
