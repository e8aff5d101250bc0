from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.MyProjectsView.as_view(), name="my_projects"),
    path("projects/<int:pk>/reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
]
