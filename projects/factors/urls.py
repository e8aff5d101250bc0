from django.urls import path

from . import views

urlpatterns = [
    path("factors/", views.FactorNeedListView.as_view(), name="factor_needs"),
    path("funding/", views.FundingView.as_view(), name="funding"),
]
