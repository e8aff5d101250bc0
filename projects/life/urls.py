from django.urls import path

from . import views

urlpatterns = [
    path("starts/", views.StartRatesView.as_view(), name="start_rates"),
    path("projects/<int:pk>/stage/", views.StageChangeView.as_view(), name="stage_change"),
]
