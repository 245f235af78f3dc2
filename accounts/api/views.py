"""The API's sign-in: a token for a username and password, and one's own tokens."""

from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import api_tokens

from .serializers import TokenIssuedSerializer, TokenRequestSerializer, TokenSerializer


class TokenObtainView(APIView):
    """A new API token for a username and password (docs/api.md, "Authentication").

    An account with two-factor sign-in also sends ``otp``, the code of its
    authenticator app or a recovery code; without it the answer is 400
    ``otp_required``. The token expires at ``expiry``.
    """

    # The password is the credential here: an old, expired token in the
    # request's header must not stand in the way of getting a new one.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenIssuedSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        row, token = api_tokens.api_token_issue(
            user=serializer.validated_data["user"], otp=serializer.validated_data.get("otp")
        )
        return Response(TokenIssuedSerializer({"token": token, "expiry": row.expiry}).data)


class TokenListView(generics.ListAPIView):
    """The caller's API tokens that have not expired: the first characters of each, never
    the whole token; ``current`` marks the one this request was sent with."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator asks without a caller.
            return AuthToken.objects.none()
        # IsAuthenticated let only a signed-in account this far.
        return api_tokens.api_tokens_of(self.request.user)  # type: ignore[arg-type]


class TokenRevokeView(APIView):
    """Revoke one of the caller's tokens, named by its ``key`` (its first 15 characters)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, token_key: str):
        api_tokens.api_token_revoke(user=request.user, token_key=token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
