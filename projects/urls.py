"""The app's URLs, one module per concern, all under the one namespace `projects:`."""

from django.urls import include, path

app_name = "projects"
urlpatterns = [
    path("", include("projects.register.urls")),
    path("", include("projects.reporting.urls")),
    path("", include("projects.meetings.urls")),
    path("", include("projects.supervision.urls")),
    path("", include("projects.reminders.urls")),
    path("", include("projects.exchange.urls")),
    path("", include("projects.exports.urls")),
    path("", include("projects.operations.urls")),
    path("", include("projects.regions.urls")),
    path("", include("projects.accounts.urls")),
]
