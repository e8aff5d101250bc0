"""Cursor pagination: `next` and `previous` links, no COUNT(*) over the table, a page size
asked for with ?page_size= and capped by JIEFANG_API_MAX_PAGE_SIZE."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "pk"
    page_size_query_param = "page_size"
    page_size_query_description = _("Rows per page (at most 500).")
    cursor_query_description = _("Where the page begins: the `next` link of the page before.")
    invalid_cursor_message = _("The cursor is not valid: follow the next link as given.")

    def __init__(self):
        self.page_size = settings.JIEFANG_API_PAGE_SIZE
        self.max_page_size = settings.JIEFANG_API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isdigit() or int(asked) < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number of rows from 1 to 500.")]}
            )
        return min(int(asked), self.max_page_size)
