from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import people_views, views
from .forms import OwnSetPasswordForm

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    # The one-time set-password link an administrator hands to a new person or after a reset.
    path("password/set/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_set.html", form_class=OwnSetPasswordForm,
        success_url=reverse_lazy("accounts:password_set_done")), name="password_set"),
    path("password/set/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_set_done.html"), name="password_set_done"),
    path("people/", people_views.people_list, name="people"),
    path("people/new/", people_views.person_create, name="person_create"),
    path("people/import/", people_views.people_import, name="people_import"),
    path("people/import/mau.xlsx", people_views.people_import_sample, name="people_import_sample"),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("people/<int:pk>/roles/<int:grant_id>/remove/", people_views.role_remove, name="role_remove"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/activate/", people_views.person_activate, name="person_activate"),
    path("people/<int:pk>/password/", people_views.person_password, name="person_password"),
]
