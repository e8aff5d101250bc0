"""The admin's deletions of django-axes' records (attempts, logs): only those of the accounts
the office looks after (access.by_username), or none."""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils.translation import gettext as _

from projects.actions import AnyUser, Refused

from .access import by_username


@transaction.atomic
def delete_log_in_records(user: AnyUser, records: Iterable[models.Model]) -> int:
    """Delete records of log-ins (an axes model's rows with a username) as `user`: each of an
    account `user` looks after, or Refused and none deleted. Returns how many."""
    records = list(records)
    for model in {type(record) for record in records}:
        pks = [record.pk for record in records if type(record) is model]
        mine = by_username(model._default_manager.filter(pk__in=pks), user)
        if mine.count() != len(pks):
            raise Refused(_("These log-in records are not all of accounts of your region."))
    for record in records:
        record.delete()
    return len(records)
