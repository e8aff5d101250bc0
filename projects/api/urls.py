"""/api/v1/: the read-only API (namespace `api:`). Its endpoints answer a token or a session
themselves (DRF marks its views login_not_required: 401 as JSON, never a redirect to the
login page); the documentation pages send an anonymous visitor to sign in."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "api"


urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<str:code>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("progress/", views.ProgressListView.as_view(), name="progress_list"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/packet.pdf", views.MeetingPacketView.as_view(), name="meeting_packet"),
    path(
        "meetings/<int:pk>/minutes.docx",
        views.MeetingMinutesView.as_view(),
        name="meeting_minutes",
    ),
    path(
        "meetings/<int:pk>/bulletin.docx",
        views.MeetingBulletinView.as_view(),
        name="meeting_bulletin",
    ),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path(
        "docs/", login_required(views.SwaggerView.as_view(url_name="api:schema")), name="swagger_ui"
    ),
    # Redoc styles itself with inline <style> elements (a nonce would make browsers ignore
    # unsafe-inline) and searches in a blob: worker: this page only.
    path("redoc/redoc.standalone.js", views.redoc_script, name="redoc_js"),
    path(
        "redoc/",
        login_required(
            csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
                views.RedocView.as_view(url_name="api:schema")
            )
        ),
        name="redoc",
    ),
]
