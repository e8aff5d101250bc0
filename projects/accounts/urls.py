from django.urls import path

from . import views

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="accounts"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", views.AccountEditView.as_view(), name="account_edit"),
    path(
        "accounts/<int:pk>/password/",
        views.AccountPasswordView.as_view(),
        name="account_password",
    ),
]
