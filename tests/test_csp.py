"""The Content-Security-Policy and the Permissions-Policy (docs/security/csp.md).

Every kind of response carries both headers; the portal's templates (the PDF's
aside, which no browser reads) and its rendered pages hold nothing the strict
policy refuses; the one allowance, for the admin's and the browsable API's
fixed style attributes, covers exactly what those packages ship and nothing
more. The browser tests (tests/browser/, whose page fixture fails on any
refused policy) check the same in Chromium.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
import rest_framework
import simple_history
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from planportal.csp import (
    ADMIN_STYLE_ATTRIBUTES,
    BROWSABLE_API_STYLE_ATTRIBUTES,
    source_hash,
)
from plans.models import Measure, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STRICT_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFUSED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def is_pdf_template(path: Path) -> bool:
    """Templates that only WeasyPrint reads: the PDF and its annexes."""
    relative = path.relative_to(TEMPLATES).as_posix()
    return relative.startswith(("documents/pdf/", "reports/pdf/")) or path.name == "pdf_annex.html"


class InlineFinder(HTMLParser):
    """What a strict policy refuses in a page or a template: a script
    without src, a <style> element, a style attribute, an event handler
    attribute (onclick=…, htmx's hx-on…), a javascript: link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        values = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}>"
        data_types = {"application/json", "application/ld+json"}
        if tag == "script" and "src" not in names and values.get("type") not in data_types:
            self.found.append(f"{where} an inline script")
        if tag == "style":
            self.found.append(f"{where} a <style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"{where} style={value!r}")
            elif re.fullmatch(r"on[a-z]+|(data-)?hx-on.*", name):
                self.found.append(f"{where} the handler {name}={value!r}")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"{where} {name}={value!r}")


def inline_content(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_no_template_holds_an_inline_script_style_or_handler():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if is_pdf_template(path):
            continue
        # Template tags inside a tag ({% if %} … {% endif %}) would confuse
        # the HTML parser; an attribute written inside one is still seen.
        text = re.sub(r"\{%.*?%\}", " ", path.read_text(), flags=re.S)
        text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
        if problems := inline_content(text):
            found[str(path.relative_to(TEMPLATES))] = problems
    assert not found, found


def test_the_pdf_templates_are_the_only_ones_left_out_of_the_scan():
    left_out = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if is_pdf_template(path)
    )
    assert left_out == [
        "climate/pdf_annex.html",
        "consultations/pdf_annex.html",
        "documents/pdf/appropriations.html",
        "documents/pdf/appropriations_summary.html",
        "documents/pdf/chapter_title.html",
        "documents/pdf/document.html",
        "documents/pdf/indicator_cards.html",
        "documents/pdf/indicators.html",
        "documents/pdf/money.html",
        "monitoring/pdf_annex.html",
        "reports/pdf/indicators.html",
        "reports/pdf/measures.html",
        "reports/pdf/progress.html",
        "reports/pdf/report.html",
        "reports/pdf/summary.html",
    ]


def htmx_configs() -> dict[str, dict]:
    configs = {}
    pattern = re.compile(r"""<meta name="htmx-config" content='([^']*)'>""")
    for path in TEMPLATES.rglob("*.html"):
        for match in pattern.finditer(path.read_text()):
            configs[str(path.relative_to(TEMPLATES))] = json.loads(match.group(1))
    return configs


def test_htmx_neither_adds_a_style_element_nor_evaluates_code_on_any_page():
    configs = htmx_configs()
    # The base template's own (every page), and the staff editor's, which
    # replaces it (htmx reads the first such tag only).
    assert "includes/htmx_config.html" in configs
    assert '{% include "includes/htmx_config.html" %}' in (TEMPLATES / "base.html").read_text()
    for name, config in configs.items():
        assert config.get("includeIndicatorStyles") is False, name
        assert config.get("allowEval") is False, name
    # htmx's indicator rules are in the stylesheet instead.
    stylesheet = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert ".htmx-request .htmx-indicator" in stylesheet


def templates_style_attributes(root: Path) -> set[str]:
    values = set()
    for path in root.rglob("*.html"):
        values.update(re.findall(r'\sstyle="([^"]*)"', path.read_text()))
    return values


def test_the_allowed_style_attributes_are_exactly_those_the_packages_ship():
    """An upgrade of the admin's or the REST framework's templates that adds
    or changes a style attribute must show up here, not as a broken page."""
    history = templates_style_attributes(Path(simple_history.__file__).parent / "templates")
    django_admin = templates_style_attributes(
        Path(django.__file__).parent / "contrib/admin/templates"
    )
    drf = templates_style_attributes(Path(rest_framework.__file__).parent / "templates")
    assert history | django_admin == set(ADMIN_STYLE_ATTRIBUTES)
    assert drf == set(BROWSABLE_API_STYLE_ATTRIBUTES)


def test_no_admin_renders_the_changelist_style_element():
    # admin/change_list.html adds an inline <style> only when a ModelAdmin
    # switches both action bars off.
    for model, model_admin in admin.site._registry.items():
        assert model_admin.actions_on_top or model_admin.actions_on_bottom, model


def test_a_hash_source_is_the_base64_sha256_of_the_text():
    # The value Chromium names for style="border-top: 0" when it refuses it.
    assert source_hash("border-top: 0") == "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


@pytest.fixture
def versions(db):
    approved = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(approved, priorities=1, goals=1, tasks=1, measures=1)
    type(approved).objects.filter(pk=approved.pk).update(status=VersionStatus.APPROVED)
    draft = factories.VersionFactory(plan=approved.plan, status=VersionStatus.DRAFT, number=2)
    build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=1)
    return approved, draft


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.lt", "x"))
    return client


def page_kinds(versions, client, staff_client, council_client, resident_client, superuser_client):
    approved, draft = versions
    measure = Measure.objects.filter(version=approved).first()
    html = {"HTTP_ACCEPT": "text/html"}
    return {
        "public: home": (client, "/", {}),
        "public: plan": (client, f"/plans/{approved.plan_id}/", {}),
        "public: measure": (client, f"/versions/{approved.pk}/measures/{measure.pk}/", {}),
        "public: climate": (client, "/climate/", {}),
        "public: login": (client, "/accounts/login/", {}),
        "public: not found": (client, "/no-such-page/", {}),
        "resident: account": (resident_client, "/accounts/", {}),
        "staff: editor": (staff_client, f"/staff/versions/{draft.pk}/outline/", {}),
        "staff: consultations": (staff_client, "/consultations/staff/", {}),
        "council: dashboard": (council_client, "/council/", {}),
        "council: draft": (council_client, f"/versions/{draft.pk}/", {}),
        "admin: login": (client, "/admin/login/", {}),
        "admin: index": (superuser_client, "/admin/", {}),
        "admin: history": (superuser_client, f"/admin/plans/measure/{measure.pk}/history/", {}),
        "API docs": (client, "/api/v1/docs/", {}),
        "API docs: script": (client, "/api/v1/docs/?script=", {}),
        "API: schema": (client, "/api/v1/schema/", {}),
        "API: JSON": (client, "/api/v1/plans/", {}),
        "API: browsable": (client, "/api/v1/plans/", html),
        "static file": (client, "/static/css/portal.css", {}),
        "health check": (client, "/healthz", {}),
    }


@pytest.mark.django_db
def test_every_kind_of_response_carries_both_policies(
    versions, client, staff_client, council_client, resident_client, superuser_client
):
    kinds = page_kinds(
        versions, client, staff_client, council_client, resident_client, superuser_client
    )
    for kind, (who, url, headers) in kinds.items():
        response = who.get(url, **headers)
        assert response.status_code in {200, 404}, (kind, response.status_code)
        policy = directives(response.get("Content-Security-Policy", ""))
        for name, value in STRICT_DIRECTIVES.items():
            assert policy.get(name) == value, (kind, name, policy)
        header = response.get("Content-Security-Policy")
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, kind
        assert "nonce-" not in header, kind
        permissions = response.get("Permissions-Policy", "")
        for feature in REFUSED_FEATURES:
            assert f"{feature}=()" in permissions, (kind, feature)


@pytest.mark.django_db
def test_style_attributes_are_admitted_only_on_the_admin_and_the_browsable_api(
    versions, client, staff_client, council_client, resident_client, superuser_client
):
    kinds = page_kinds(
        versions, client, staff_client, council_client, resident_client, superuser_client
    )
    for kind, (who, url, headers) in kinds.items():
        policy = directives(who.get(url, **headers)["Content-Security-Policy"])
        if kind.startswith("admin"):
            expected = {source_hash(value) for value in ADMIN_STYLE_ATTRIBUTES}
        elif kind == "API: browsable":
            expected = {source_hash(value) for value in BROWSABLE_API_STYLE_ATTRIBUTES}
        else:
            assert "style-src-attr" not in policy, kind
            continue
        sources = policy["style-src-attr"].split()
        assert sources[0] == "'unsafe-hashes'" and set(sources[1:]) == expected, kind


@pytest.mark.django_db
def test_the_rendered_pages_hold_nothing_the_policy_refuses(
    versions, client, staff_client, council_client, resident_client, superuser_client
):
    kinds = page_kinds(
        versions, client, staff_client, council_client, resident_client, superuser_client
    )
    for kind, (who, url, headers) in kinds.items():
        response = who.get(url, **headers)
        if not response["Content-Type"].startswith("text/html"):
            continue
        found = inline_content(response.content.decode())
        if kind.startswith("admin"):
            found = [f for f in found if not any(repr(v) in f for v in ADMIN_STYLE_ATTRIBUTES)]
        if kind == "API: browsable":
            allowed = BROWSABLE_API_STYLE_ATTRIBUTES
            found = [f for f in found if not any(repr(v) in f for v in allowed)]
        assert not found, (kind, found)


def test_the_api_docs_load_their_start_up_script_from_the_portal(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert '<script src="/api/v1/docs/?script="></script>' in page
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle(" in script.content
