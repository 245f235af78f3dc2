"""The Content-Security-Policy of every response (docs/security/csp.md).

The policy itself is the setting CONTENT_SECURITY_POLICY (django-csp). The
portal's own templates carry no inline script, no inline style and no event
handler attribute (tests/test_csp.py scans them), so the one strict policy
holds on every page without nonces.

Two pages that the portal does not write itself ship a handful of fixed
``style="…"`` attributes in their packages' templates: the Django admin's
history page (django-simple-history's ``object_history_list.html``) and the
REST framework's browsable API. For exactly those responses the policy
admits exactly those attribute values by their hashes ('unsafe-hashes' in
``style-src-attr``): no other style attribute, no ``<style>`` element and no
script is allowed there either. tests/test_csp.py checks that the lists below
still covers what the installed packages ship, so an upgrade that adds one
fails a test instead of quietly breaking a page.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache as memoize

from csp.constants import HEADER, UNSAFE_HASHES
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from rest_framework.renderers import BrowsableAPIRenderer

# Every distinct style attribute value in the templates of each package,
# verbatim (tests/test_csp.py compares them with the installed templates).
ADMIN_STYLE_ATTRIBUTES = (
    # django-simple-history: the admin's history page. Django's own admin
    # templates carry none.
    "border-top: 0",
)
BROWSABLE_API_STYLE_ATTRIBUTES = (
    # Django REST framework: the browsable API and its forms and filters.
    "border-bottom: 0",
    "border-bottom: 1px solid #e5e5e5",
    "border: none",
    "clear: both",
    "float: right",
    "float: right; margin-right: 10px",
    "float:left",
    "margin-top: 30px",
    "margin: 0 0 20px;",
    "width: 320px; margin-left: auto; margin-right: auto",
    "width: 350px",
)


def source_hash(text: str) -> str:
    """The CSP hash source ('sha256-…') that admits exactly ``text``."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def third_party_style_attributes(
    request: HttpRequest, response: HttpResponseBase
) -> tuple[str, ...]:
    """The style attributes admitted on this response: none but on the
    browsable API's and the admin's pages."""
    if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer):
        return BROWSABLE_API_STYLE_ATTRIBUTES
    if request.path_info.startswith(_admin_prefix()):
        return ADMIN_STYLE_ATTRIBUTES
    return ()


@memoize
def _admin_prefix() -> str:
    return reverse("admin:index")


@memoize
def _policy() -> str:
    """The policy of every response that asks for nothing else (the settings')."""
    return build_policy()


@receiver(setting_changed)
def _forget_policy(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


# What a response or request may carry to get a policy of its own (django-csp).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the narrow allowance described above.

    Nearly every response carries the settings' policy unchanged: it is
    built once rather than from the settings on every response (django-csp
    does; that was a tenth of a page served from the page cache).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if (
            any(hasattr(response, name) for name in _OWN_POLICY)
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            )
            or (settings.DEBUG and response.status_code in (404, 500))
            or third_party_style_attributes(request, response)
        ):
            return super().process_response(request, response)
        policy = _policy()
        if policy and HEADER not in response:
            response[HEADER] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        attributes = () if report_only else third_party_style_attributes(request, response)
        if attributes:
            update = dict(parts.update or {})
            update["style-src-attr"] = [
                *update.get("style-src-attr", []),
                UNSAFE_HASHES,
                *map(source_hash, attributes),
            ]
            parts.update = update
        return parts


class StylelessBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The browsable API without its inline ``<style>`` of Pygments classes.

    The classes colour code in Markdown descriptions, and Markdown is not
    installed, so nothing uses them; dropping them keeps ``<style>``
    elements out of the policy's allowance altogether.
    """

    def get_context(self, *args, **kwargs):
        context = super().get_context(*args, **kwargs)
        context["code_style"] = None
        return context
