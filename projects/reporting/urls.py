from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.MyProjectsView.as_view(), name="my_projects"),
    path("projects/<int:pk>/reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path(
        "projects/<int:pk>/reports/projection/",
        views.ReportProjectionView.as_view(),
        name="report_projection",
    ),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="report_photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        views.PhotoView.as_view(thumbnail=True),
        name="report_photo_thumbnail",
    ),
]
