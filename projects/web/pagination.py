"""A paginator told how many rows there are, so that a page of a large list runs no COUNT."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """Pages of `object_list`, whose length `count` was found another way (such as the
    progress table's totals)."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # instead of the cached property that runs COUNT(*)
