from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
]
