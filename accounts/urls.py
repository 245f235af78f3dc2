from django.urls import path

from . import security_views, views, work_views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_done, name="register-done"),
    path("confirm/resend/", views.resend, name="resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("email/", views.email_change, name="email-change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email-confirm"),
    path("data/", views.data_download, name="data"),
    path("delete/", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("privacy/", views.privacy, name="privacy"),
    # Where staff and council land after signing in (accounts/work_views.py).
    path("work/", work_views.work, name="work"),
    # Sign-in and security (accounts/security_views.py).
    path("login/code/", security_views.two_factor_verify, name="two-factor-verify"),
    path("security/", security_views.overview, name="security"),
    path("security/two-factor/", security_views.two_factor_setup, name="two-factor-setup"),
    path("security/two-factor/off/", security_views.two_factor_disable, name="two-factor-disable"),
    path("security/recovery-codes/", security_views.recovery_codes, name="recovery-codes"),
    path(
        "security/sign-out-everywhere/",
        security_views.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    path(
        "security/tokens/<str:token_key>/revoke/",
        security_views.token_revoke,
        name="token-revoke",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
