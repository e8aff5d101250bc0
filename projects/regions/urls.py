from django.urls import path

from . import views

urlpatterns = [
    path("regions/", views.RegionsView.as_view(), name="regions"),
    path("submissions/", views.SubmissionsView.as_view(), name="submissions"),
    path("submissions/submit/", views.SubmitView.as_view(), name="submission_submit"),
    path("submissions/chase/", views.ChaseView.as_view(), name="submission_chase"),
    path("submissions/<int:pk>/accept/", views.AcceptView.as_view(), name="submission_accept"),
    path("submissions/<int:pk>/return/", views.ReturnView.as_view(), name="submission_return"),
]
