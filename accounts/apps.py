from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Residents' accounts")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from . import api_tokens, security

        # Signals, not a service: every way of signing in (the login page, the
        # admin's, a password reset, an e-mail confirmation) and every way of
        # changing a password or deactivating (the admin, `changepassword`, a
        # reset) must count, and none of them goes through a service of ours.
        user_logged_in.connect(security.on_login, dispatch_uid="accounts-session-state")
        post_save.connect(
            api_tokens.revoke_on_account_change,
            sender=get_user_model(),
            dispatch_uid="accounts-revoke-tokens",
        )
