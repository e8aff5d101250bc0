"""manage.py write_docx_templates: write the default Word templates to templates/docx/."""

from django.conf import settings
from django.core.management.base import BaseCommand

from projects.meetings.docx_layout import TEMPLATES


class Command(BaseCommand):
    help = "Write the default Word templates (会议纪要, 月度通报) to templates/docx/."

    def handle(self, *args, **options):
        folder = settings.BASE_DIR / "templates" / "docx"
        folder.mkdir(parents=True, exist_ok=True)
        for kind, build in TEMPLATES.items():
            build().save(folder / f"{kind}.docx")
            self.stdout.write(f"{folder / kind}.docx")
