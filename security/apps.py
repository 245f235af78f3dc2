from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security log")

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import m2m_changed, post_init, post_save

        from security import receivers

        user_model = get_user_model()
        user_logged_in.connect(receivers.logged_in, dispatch_uid="security.login")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="security.login_failed")
        user_logged_out.connect(receivers.logged_out, dispatch_uid="security.logout")
        post_save.connect(receivers.admin_logged, sender=LogEntry, dispatch_uid="security.admin")
        post_init.connect(
            receivers.remember_role_flags, sender=user_model, dispatch_uid="security.flags"
        )
        post_save.connect(
            receivers.role_flags_saved, sender=user_model, dispatch_uid="security.flags_saved"
        )
        for through in (user_model.groups.through, user_model.user_permissions.through):
            m2m_changed.connect(
                receivers.memberships_changed,
                sender=through,
                dispatch_uid=f"security.memberships.{through._meta.label_lower}",
            )
        # By label, so that the log imports neither app (and connects to
        # neither when it is not installed).
        if apps.is_installed("council"):
            post_save.connect(
                receivers.version_event,
                sender="council.VersionEvent",
                dispatch_uid="security.events",
            )
        if apps.is_installed("consultations"):
            post_save.connect(
                receivers.consultation_opened,
                sender="consultations.Consultation",
                dispatch_uid="security.consultations",
            )
        # django-axes (login lockouts) may or may not be installed.
        if apps.is_installed("axes"):
            from axes.signals import user_locked_out

            user_locked_out.connect(receivers.locked_out, dispatch_uid="security.lockout")
