from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin


class TokenRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    username = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("The authenticator's code (or a recovery code), for an account with one."),
    )

    def validate(self, attrs):
        # authenticate() with the request, so that every check of the
        # authentication backends (lockouts included) applies to the API too.
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as “Authorization: Token <token>”."))
    expiry = serializers.DateTimeField()


class TokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens (never the token itself: only its first characters)."""

    key = serializers.CharField(source="token_key", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = AuthToken
        fields = ["key", "created", "expiry", "current"]

    def get_current(self, token) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, AuthToken) and auth.digest == token.digest
