"""The Lithuanian translation is complete and its compiled form matches it.

The .mo files are committed (a fresh Debian has no msgfmt), so these tests
fail when a .po was edited without recompiling, when a string in the code has
no Lithuanian translation, or when a translation drops a placeholder.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["lt", "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
# Every folder with translatable strings: the project's apps (each has an
# apps.py), the shared package and the templates.
SOURCE_DIRS = sorted({p.parent.name for p in ROOT.glob("*/apps.py")} | {"planportal", "templates"})


def catalog(language, domain="django"):
    return ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalog_matches_its_source(language, domain):
    po_path = catalog(language, domain)
    if domain == "djangojs" and not po_path.exists():
        return  # no JavaScript strings yet; the django domain is required below
    assert po_path.exists(), f"{po_path} is missing"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr_plural and tuple(e.msgstr_plural.values())) or e.msgstr
        for e in po.translated_entries()
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr_plural and tuple(e.msgstr_plural.values())) or e.msgstr
        for e in mo
        if e.msgid
    }
    assert compiled == expected, (
        f"{po_path.with_suffix('.mo')} is out of date: run "
        "`.venv/bin/python manage.py compilemessages` and commit the .mo"
    )


def test_every_lithuanian_string_is_translated_and_not_fuzzy():
    po = polib.pofile(str(catalog("lt")))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated in lt: {missing[:20]}"
    assert not fuzzy, f"fuzzy in lt: {fuzzy[:20]}"


def test_translations_keep_their_placeholders():
    po = polib.pofile(str(catalog("lt")))
    broken = []
    for entry in po.translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                broken.append(entry.msgid)
    assert not broken, f"placeholders differ: {broken[:10]}"


def test_every_string_in_the_code_is_in_the_lithuanian_catalog(tmp_path):
    """makemessages over a copy of the sources finds nothing the catalog lacks."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: apt-get install gettext (scripts/bootstrap.sh does)")
    for name in SOURCE_DIRS:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale" / "lt" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "lt", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "lt" / "LC_MESSAGES" / "django.po"))
    committed = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(catalog("lt"))).translated_entries()
    }
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert not missing, f"strings without a Lithuanian translation: {missing[:30]}"


def test_lithuanian_plurals_decline_with_the_number():
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("lt"):
        forms = [
            ngettext("%(count)s goal", "%(count)s goals", n) % {"count": n} for n in (1, 3, 10, 21)
        ]
    assert forms == ["1 tikslas", "3 tikslai", "10 tikslų", "21 tikslas"]
