from django.urls import path

from . import views

urlpatterns = [
    path("scores/", views.ScoreTableView.as_view(), name="scores"),
]
