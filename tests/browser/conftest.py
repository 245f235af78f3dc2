"""Browser tests: Playwright driving Debian's Chromium against a live server.

Where Chromium is missing the tests are skipped with a message saying what to
install; with REQUIRE_BROWSER=1 (CI sets it) a missing browser is an error.
Nothing here downloads a browser.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRED = os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}

# Playwright's sync API runs an event loop in this thread; Django would then
# refuse the test's own ORM calls as "async unsafe", though they are not.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    for item in items:
        if "browser" in item.keywords:
            if REQUIRED:
                item.add_marker(pytest.mark.xfail(reason=message, strict=True, run=False))
                item.add_marker(pytest.mark.usefixtures("_browser_required"))
            else:
                item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture
def _browser_required():
    pytest.fail(f"REQUIRE_BROWSER is set but Chromium is missing at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Every page reports what the Content-Security-Policy refused (an inline
# script or style, an eval, a resource from elsewhere) to the console, where
# the page fixture below collects it; Chromium's own console line names the
# directive, this one also the page, the source line and the blocked sample.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " refused "
    + (event.blockedURI || "inline") + " on " + event.documentURI
    + " (" + event.sourceFile + ":" + event.lineNumber + ") " + event.sample);
});
"""
# Console lines that mean a security header was broken or misspelt.
HEADER_PROBLEMS = ("Content Security Policy", "CSP violation", "Permissions-Policy")


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages, each in a browser of its own (another user's); after the
    test, none may have had a JavaScript error or a refused header policy."""
    contexts = []
    errors = []
    header_problems = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="lt-LT")
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda message: (
                header_problems.append(message.text)
                if any(problem in message.text for problem in HEADER_PROBLEMS)
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not header_problems, f"Content-Security-Policy or Permissions-Policy: {header_problems}"


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username, password="secret-pass-123"):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def assert_no_axe_violations(page, context=""):
    """axe-core on the current page: no WCAG 2.0/2.1 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    violations = results.response["violations"]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe-core violations on {context or page.url}:\n" + "\n".join(summary)
