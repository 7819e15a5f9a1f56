"""Every response carries the security headers; pages and downloads are never stored."""

import pytest

from sandbox.web.security_headers import CONTENT_SECURITY_POLICY

# a directive missing or loosened here is a hole in every page
REQUIRED_DIRECTIVES = (
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
)


def assert_protected(response):
    policy = response.headers["Content-Security-Policy"]
    for directive in REQUIRED_DIRECTIVES:
        assert directive in policy.split("; ")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert all(source in ("'self'", "'none'", "data:")
               for value in directives.values() for source in value.split())
    assert directives["img-src"] == "'self' data:"


@pytest.mark.parametrize("path", ["/sign-in", "/no-such-page", "/static/sandbox.css"])
def test_anonymous_pages_errors_and_static_files_carry_the_headers(client, path):
    response = client.get(path)
    response.close()
    assert_protected(response)


def test_a_signed_in_page_is_never_stored(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert_protected(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_csv_export_is_never_stored(client, auth, make_user):
    make_user("hr", email="harper@example.com")
    auth.login("harper@example.com")
    response = client.get("/talent/export.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert_protected(response)


def test_static_files_stay_cacheable(client):
    response = client.get("/static/sandbox.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_htmx_never_evaluates_code_nor_injects_styles(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '"allowEval": false' in page
    assert '"includeIndicatorStyles": false' in page
    assert '"allowScriptTags": false' in page
