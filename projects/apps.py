from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Key projects")

    def ready(self):
        from projects.models.base import clean_text_fields
        from projects.models.progress import watch
        from projects.roles import grant_missing

        post_migrate.connect(grant_missing, sender=self, dispatch_uid="projects-grant-roles")
        for model in self.get_models():
            pre_save.connect(clean_text_fields, sender=model, dispatch_uid=f"clean-{model}")
        watch()
        import projects.meetings.issued  # noqa: F401 (registers the Word documents' builders)
        import projects.register.exports  # noqa: F401 (registers the background exports' builders)
