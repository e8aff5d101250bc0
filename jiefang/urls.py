"""Root URLs: the projects app, the admin and authentication."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from projects.accounts.views import PasswordChangeView
from projects.operations.health import healthz
from projects.reporting.views import LoginView

admin.site.site_header = _("Key project tracker")
admin.site.site_title = _("Key project tracker")
admin.site.index_title = _("Project office administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("projects.api.urls")),
    path("", include("projects.urls")),
]

# A 500 caused by an unreachable database answers 503 with Retry-After instead.
handler500 = "projects.operations.unavailable.server_error"
