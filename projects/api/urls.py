"""/api/v1/: the read-only API (namespace `api:`). Its endpoints answer a token or a session
themselves (401 as JSON, never a redirect to the login page); the documentation pages are
for signed-in users."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "api"


def endpoint(view):
    return login_not_required(view)


urlpatterns = [
    path("projects/", endpoint(views.ProjectListView.as_view()), name="project_list"),
    path(
        "projects/<str:code>/", endpoint(views.ProjectDetailView.as_view()), name="project_detail"
    ),
    path("progress/", endpoint(views.ProgressListView.as_view()), name="progress_list"),
    path("regions/", endpoint(views.RegionListView.as_view()), name="region_list"),
    path("problems/", endpoint(views.ProblemListView.as_view()), name="problem_list"),
    path("meetings/", endpoint(views.MeetingListView.as_view()), name="meeting_list"),
    path("photos/<int:pk>/", endpoint(views.PhotoView.as_view()), name="photo"),
    path("schema/", endpoint(views.SchemaView.as_view()), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="swagger_ui"),
    # Redoc styles itself with inline <style> elements (a nonce would make browsers ignore
    # unsafe-inline) and searches in a blob: worker: this page only.
    path(
        "redoc/",
        csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            views.RedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
]
