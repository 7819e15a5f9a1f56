"""Opening an invitation or reset link never signs the current person out: only sending its
form does (a GET changes nothing)."""

from tests.conftest import AuthActions, csrf_token_from
from tests.web.test_bad_input import invitation_path
from tests.web.test_cohorts import trainer  # noqa: F401
from tests.web.test_passwords import NEW, admin_reset_link


def test_opening_an_invitation_link_keeps_the_trainer_signed_in(app, trainer):  # noqa: F811
    path = invitation_path(app, trainer)
    page = trainer.get(path)
    assert page.status_code == 200
    assert "You are signed in as dana@example.com" in page.get_data(as_text=True)
    assert trainer.get("/cohorts/").status_code == 200  # still Dana


def test_sending_the_invitation_form_signs_the_newcomer_in_instead(app, trainer):  # noqa: F811
    path = invitation_path(app, trainer)
    token = csrf_token_from(trainer.get(path).get_data(as_text=True))
    response = trainer.post(path, data={"csrf_token": token, "name": "Nia Newbie",
                                        "password": "a good password",
                                        "password_again": "a good password"})
    assert response.status_code == 302
    assert "Nia" in trainer.get("/dashboard").get_data(as_text=True)
    assert trainer.get("/cohorts/").status_code == 403  # no longer Dana the trainer


def test_opening_a_reset_link_keeps_the_admin_signed_in(app, make_user):
    admin, link = admin_reset_link(app, make_user)
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    page = admin.get(path)
    assert page.status_code == 200
    assert "You are signed in as ada@example.com" in page.get_data(as_text=True)
    assert admin.get("/admin/users").status_code == 200  # still Ada
    token = csrf_token_from(page.get_data(as_text=True))
    admin.post(path, data={"csrf_token": token, "password": NEW, "password_again": NEW})
    assert admin.get("/admin/users").status_code == 403  # now Tess, who chose a password
    assert AuthActions(app.test_client()).login("tess@example.com", NEW).status_code == 302
