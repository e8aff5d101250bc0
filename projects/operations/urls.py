from django.urls import path

from . import views

urlpatterns = [
    path("lockouts/", views.LockoutView.as_view(), name="lockouts"),
]
