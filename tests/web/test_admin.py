"""An administrator manages people and their roles."""

import re

from sqlmodel import Session

from sandbox.models import User


def user_in_db(app, user_id) -> User:
    with Session(app.extensions["sandbox.engine"]) as session:
        user = session.get(User, user_id)
        return user, user.role_names


def test_the_user_list_shows_every_person_with_their_roles(client, auth, make_user):
    make_user("admin", email="ada@example.com", name="Ada Admin")
    make_user("trainer", "hr", email="tom@example.com", name="Tom <b>Trainer</b>")
    auth.login("ada@example.com")
    page = client.get("/admin/users").get_data(as_text=True)
    assert listed(page) == [  # names are escaped
        ("Ada Admin", "ada@example.com", ["admin"]),
        ("Tom &lt;b&gt;Trainer&lt;/b&gt;", "tom@example.com", ["trainer", "hr"]),
    ]
    assert "2 accounts" in page


def listed(page: str) -> list[tuple[str, str, list[str]]]:
    """The rows of the user list: name, email and the roles ticked, as the page shows them."""
    rows = re.findall(r'<li class="user-row.*?</li>', page, re.S)
    return [(re.search(r"<strong>(.*?)</strong>", row).group(1),
             re.search(r'<span class="muted">(.*?)</span>', row).group(1),
             re.findall(r'name="roles" value="(\w+)"\s*checked', row)) for row in rows]


def test_an_admin_changes_roles_and_deactivates_a_person(app, client, auth, make_user):
    make_user("admin", email="ada@example.com")
    tom = make_user("trainee", email="tom@example.com")
    auth.login("ada@example.com")
    response = client.post(f"/admin/users/{tom}",
                           data={"roles": ["trainer", "hr"], "csrf_token": auth.csrf_token()})
    assert response.status_code == 302
    user, roles = user_in_db(app, tom)
    assert roles == {"trainer", "hr"} and not user.is_active
    assert "Saved" in client.get("/admin/users").get_data(as_text=True)


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(app, make_user):
    make_user("admin", email="ada@example.com")
    tom = make_user("trainee", email="tom@example.com")
    from tests.conftest import AuthActions

    tom_client, ada_client = app.test_client(), app.test_client()
    AuthActions(tom_client).login("tom@example.com")
    ada = AuthActions(ada_client)
    ada.login("ada@example.com")
    ada_client.post(f"/admin/users/{tom}", data={"roles": ["trainee"],
                                                 "csrf_token": ada.csrf_token()})
    assert tom_client.get("/dashboard").status_code == 302


def test_removing_every_role_is_refused_with_a_message(app, client, auth, make_user):
    make_user("admin", email="ada@example.com")
    tom = make_user("trainee", email="tom@example.com")
    auth.login("ada@example.com")
    response = client.post(f"/admin/users/{tom}", data={"active": "on"},
                           headers={"HX-Request": "true", "X-CSRFToken": auth.csrf_token()})
    assert response.status_code == 422
    assert "Give at least one role" in response.get_data(as_text=True)
    assert user_in_db(app, tom)[1] == {"trainee"}


def test_an_admin_cannot_lock_themselves_out(app, client, auth, make_user):
    ada = make_user("admin", email="ada@example.com")
    auth.login("ada@example.com")
    client.post(f"/admin/users/{ada}", data={"roles": ["trainee"], "active": "on",
                                             "csrf_token": auth.csrf_token()})
    assert user_in_db(app, ada)[1] == {"admin"}
    assert "cannot remove your own admin role" in client.get("/admin/users").get_data(
        as_text=True)


def test_an_admin_adds_a_person_who_can_then_sign_in(app, client, auth, make_user):
    make_user("admin", email="ada@example.com")
    auth.login("ada@example.com")
    token = auth.csrf_token("/admin/users/new")
    response = client.post("/admin/users/new", data={
        "name": "Nia Okafor", "email": "Nia@Example.com", "password": "first password",
        "roles": ["trainee", "hr"], "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Created an account for Nia Okafor (nia@example.com)" in page


def test_adding_a_person_twice_explains_the_problem_and_keeps_the_form(client, auth, make_user):
    make_user("admin", email="ada@example.com")
    auth.login("ada@example.com")
    token = auth.csrf_token("/admin/users/new")
    response = client.post("/admin/users/new", data={
        "name": "Ada Again", "email": "ada@example.com", "password": "first password",
        "roles": ["trainee"], "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An account for ada@example.com already exists." in page
    assert 'value="Ada Again"' in page


def test_an_existing_e_mail_with_role_in_it_is_reported_beside_the_e_mail(app, client, auth,
                                                                          make_user):
    make_user("admin", email="ada@example.com")
    make_user("trainee", email="role.model@example.com")
    auth.login("ada@example.com")
    response = client.post("/admin/users/new", data={
        "name": "Rolf", "email": "role.model@example.com", "password": "first password",
        "roles": ["trainee"], "csrf_token": auth.csrf_token("/admin/users/new")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page.split("already exists")[0].rsplit("<label", 1)[-1]
