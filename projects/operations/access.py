"""Which of django-axes' records of log-ins an account's office looks after: those of the
accounts acting in its region or beneath it, never a sibling district's. A name that is
nobody's account belongs to the top of the tree (or the single district), which answers for
the whole site. Used by the 登录锁定 page and the admin's pages of attempts and logs."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from projects.models import Region
from projects.scope import accounts_beneath, region_of


def by_username(queryset, user):
    """The rows of `queryset` (an axes model with a username) that `user` may see."""
    region = region_of(user)
    if region is None:
        return queryset if user.is_superuser else queryset.none()
    User = get_user_model()
    condition = Q(username__in=accounts_beneath(User.objects.all(), region).values("username"))
    if region.parent_id is None or Region.objects.single_district() is not None:
        condition |= ~Exists(User.objects.filter(username=OuterRef("username")))
    return queryset.filter(condition)
