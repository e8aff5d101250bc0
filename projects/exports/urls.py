from django.urls import path

from . import views

urlpatterns = [
    path("exports/", views.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
]
