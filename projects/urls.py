from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "projects"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:project_list"), name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path("officials/<int:pk>/", views.OfficialDetailView.as_view(), name="official_detail"),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("exports/progress.xlsx", views.ProgressWorkbookView.as_view(), name="progress_xlsx"),
]
