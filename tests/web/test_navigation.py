"""What each role sees and may open."""

import re

import pytest


def nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    return re.findall(r">\s*([^<>]+?)\s*</a>", nav)


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (("trainee",), ["Dashboard", "Practice"]),
        (("trainer",), ["Dashboard", "Scenarios", "Cohorts", "Reviews", "Calibration"]),
        (("hr",), ["Dashboard", "Talent"]),
        (("admin",), ["Dashboard", "Cohorts", "Calibration", "Users"]),
    ],
)
def test_each_role_sees_its_own_navigation(client, auth, make_user, roles, expected):
    make_user(*roles, email="someone@example.com")
    auth.login("someone@example.com")
    assert nav_labels(client.get("/dashboard").get_data(as_text=True)) == expected


def test_a_trainee_gets_403_on_the_admin_pages(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    for path in ("/admin/users", "/admin/users/new"):
        response = client.get(path)
        assert response.status_code == 403
        assert "This page is not for your role" in response.get_data(as_text=True)
    token = auth.csrf_token()
    assert client.post("/admin/users/1", data={"csrf_token": token}).status_code == 403


def test_an_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Nothing here" in response.get_data(as_text=True)
