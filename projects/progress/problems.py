"""The problem register's states, judged at a date: open, overdue and the escalation level."""

import datetime

from django.db import models
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.utils import timezone

from projects.scope import RestrictedQuerySet

# Escalation levels of an overdue problem (see Escalation in models): 提醒 when it passes its
# deadline, 催办 one week later, 督办 after two weeks. Each level is (level, days overdue).
NOT_DUE, REMIND, URGE, SUPERVISE = 0, 1, 2, 3
ESCALATION_DAYS = ((SUPERVISE, 14), (URGE, 7), (REMIND, 1))


# The states as conditions on the problem's own row (and its meeting's date), so that a
# register of many problems is judged in one pass rather than by a subquery per problem.
def _raised(as_of):
    return Q(meeting__isnull=True) | Q(meeting__date__lte=as_of)


def _open(as_of):
    end_of_day = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())
    )
    return _raised(as_of) & (Q(status="open") | Q(closed_at__gte=end_of_day))


def _overdue(as_of):
    return _open(as_of) & Q(deadline__lt=as_of)


def _flag(condition):
    """True or False (never NULL) for a condition on the row."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


class ProblemQuerySet(RestrictedQuerySet):
    """The problem register's states, judged at a date: the one definition of open and overdue."""

    def raised_by(self, as_of):
        """Raised by `as_of`: at a meeting held by then (or at no meeting)."""
        return self.filter(_raised(as_of))

    def open_at(self, as_of):
        """Raised by `as_of` and not closed by the end of that day."""
        return self.filter(_open(as_of))

    def with_open(self, as_of):
        """Annotate is_open: still open at the end of `as_of` (a later closing not yet seen)."""
        return self.annotate(is_open=_flag(_open(as_of)))

    def overdue_at(self, as_of):
        """Open past its deadline; the deadline day itself is not overdue."""
        return self.filter(_overdue(as_of))

    def with_overdue(self, as_of):
        """Annotate is_overdue (at `as_of`) and escalation, the level an overdue problem has
        reached: 0 not overdue, then 提醒, 催办 and 督办 a level a week."""
        return self.annotate(
            is_overdue=_flag(_overdue(as_of)),
            escalation=Case(
                *(
                    When(
                        is_overdue=True,
                        deadline__lte=as_of - datetime.timedelta(days=days),
                        then=Value(level),
                    )
                    for level, days in ESCALATION_DAYS
                ),
                default=Value(NOT_DUE),
                output_field=IntegerField(),
            ),
        )

    def most_overdue(self, as_of):
        """Overdue problems at `as_of`, the most escalated first (annotated as with_overdue).
        A problem's level grows with the age of its deadline, so that order is the order of
        the deadlines, which the database reads by their index and stops at a page."""
        return self.overdue_at(as_of).with_overdue(as_of).order_by("deadline", "pk")

    def escalation_counts(self, as_of):
        """The number of overdue problems at 提醒, 催办 and 督办 on `as_of`, in one query."""
        counts = dict(
            self.with_overdue(as_of)
            .filter(is_overdue=True)
            .values_list("escalation")
            .annotate(count=models.Count("pk"))
            .order_by()
        )
        return [counts.get(level, 0) for level in (REMIND, URGE, SUPERVISE)]
