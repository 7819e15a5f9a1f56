"""`sandbox users set-password` and `sandbox users reset-link`: passwords from the command line."""

import re

from tests.conftest import PASSWORD, AuthActions, csrf_token_from


def test_set_password_asks_twice_and_the_new_password_signs_in(app, runner, make_user):
    make_user("trainee", email="ana@example.com")
    mismatch = runner.invoke(args=["users", "set-password", "ana@example.com"],
                             input="one new password\nanother password\n"
                                   "a newer password\na newer password\n")
    assert mismatch.exit_code == 0 and "do not match" in mismatch.output
    assert "a newer password" not in mismatch.output  # the prompt hides what is typed
    assert AuthActions(app.test_client()).login("ana@example.com",
                                                "a newer password").status_code == 302


def test_set_password_takes_the_password_as_an_option_for_scripts(app, runner, make_user):
    make_user("hr", email="hana@example.com")
    done = runner.invoke(args=["users", "set-password", "HANA@example.com",
                               "--password", "scripted password"])
    assert done.exit_code == 0 and "New password set for hana@example.com." in done.output
    assert AuthActions(app.test_client()).login("hana@example.com").status_code == 401


def test_both_commands_refuse_an_unknown_e_mail_with_exit_code_1(runner):
    for command in (["set-password", "nobody@example.com", "--password", "long enough"],
                    ["reset-link", "nobody@example.com"]):
        result = runner.invoke(args=["users", *command])
        assert result.exit_code == 1
        assert "Error: no account with the e-mail nobody@example.com" in result.output
        assert "Traceback" not in result.output


def test_a_deactivated_account_gets_no_reset_link(runner, make_user):
    make_user("trainee", email="gone@example.com", active=False)
    result = runner.invoke(args=["users", "reset-link", "gone@example.com"])
    assert result.exit_code == 1
    assert "gone@example.com's account is deactivated: reactivate it first" in result.output


def test_reset_link_prints_a_path_that_lets_the_person_choose_a_new_password(app, runner,
                                                                             make_user):
    make_user("trainee", email="ana@example.com")
    result = runner.invoke(args=["users", "reset-link", "ana@example.com"])
    path = result.stdout.strip()
    assert result.exit_code == 0 and re.fullmatch(r"/reset/[\w.-]+", path)
    assert "Put your site's address in front" in result.stderr
    browser = app.test_client()
    page = browser.get(path).get_data(as_text=True)
    assert "Choose a new password" in page
    sent = browser.post(path, data={"password": "chosen by ana", "password_again": "chosen by ana",
                                    "csrf_token": csrf_token_from(page)})
    assert sent.status_code == 302
    assert AuthActions(app.test_client()).login("ana@example.com", PASSWORD).status_code == 401


def test_reset_link_prints_a_complete_link_when_given_the_site_address(runner, make_user):
    make_user("trainee", email="ana@example.com")
    result = runner.invoke(args=["users", "reset-link", "ana@example.com",
                                 "--site", "https://sandbox.example.com/"])
    assert result.exit_code == 0
    assert re.fullmatch(r"https://sandbox\.example\.com/reset/[\w.-]+", result.stdout.strip())
    assert "Send it to ana@example.com: it works once, for 24 hours." in result.stderr


def test_sign_out_ends_every_session_of_that_person_only(app, runner, make_user):
    make_user("trainee", email="ana@example.com")
    make_user("hr", email="hana@example.com")
    ana, hana = app.test_client(), app.test_client()
    AuthActions(ana).login("ana@example.com")
    AuthActions(hana).login("hana@example.com")
    done = runner.invoke(args=["users", "sign-out", "ANA@example.com"])
    assert done.exit_code == 0 and "ana@example.com is signed out on every device" in done.output
    assert ana.get("/dashboard").status_code == 302
    assert hana.get("/dashboard").status_code == 200
    assert AuthActions(app.test_client()).login("ana@example.com").status_code == 302
