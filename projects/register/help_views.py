"""The user guide: docs/user-guide.zh.md, each role reading its own parts, and its pictures."""

import re
from pathlib import Path

import markdown
from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from projects.permissions import RoleRequiredMixin, is_office

# A part of the guide begins with a line `<!-- for: group group… -->` naming the roles (groups)
# it is for; the text before the first such line is for everyone.
GUIDE_PART = re.compile(r"^<!-- for: ([\w ]+) -->$", re.M)


def guide_for(text, user):
    """The parts of the guide `user` reads: those of their roles, and everything for the
    project office (who answers everyone's questions)."""
    pieces = GUIDE_PART.split(text)
    office = is_office(user)
    groups = set(user.groups.values_list("name", flat=True))
    parts = [pieces[0]]
    for roles, part in zip(pieces[1::2], pieces[2::2], strict=True):
        if office or groups & set(roles.split()):
            parts.append(part)
    return "".join(parts)


class HelpView(RoleRequiredMixin, TemplateView):
    """The user guide (docs/user-guide.zh.md), each role reading its own parts (unit
    contacts included: every role reads problems); the office reads all of it, with the
    administration, the settings and the template variables."""

    permission_required = "projects.view_problem"
    template_name = "help.html"
    guide = Path(settings.BASE_DIR) / "docs" / "user-guide.zh.md"

    def get_context_data(self, **kwargs):
        text = guide_for(self.guide.read_text(encoding="utf-8"), self.request.user)
        html = markdown.markdown(text, extensions=["tables"])
        html = html.replace('src="screenshots/', f'src="{reverse("projects:help")}screenshots/')
        html = html.replace("<th>", '<th scope="col">')  # the guide's tables head columns
        return super().get_context_data(**kwargs) | {"title": _("Help"), "guide": mark_safe(html)}


class HelpScreenshotView(RoleRequiredMixin, View):
    """The guide's pictures, served from docs/screenshots (to whoever reads the guide)."""

    permission_required = HelpView.permission_required
    http_method_names = ["get"]

    def get(self, request, name):
        path = Path(settings.BASE_DIR) / "docs" / "screenshots" / f"{name}.png"
        if not path.is_file():
            raise Http404(name)
        return FileResponse(path.open("rb"), content_type="image/png")
