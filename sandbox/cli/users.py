import sys

import click
from flask.cli import with_appcontext

from sandbox import accounts
from sandbox.db import get_session
from sandbox.models import ROLE_NAMES


@click.group("users", help="Create, import and list accounts.")
def users_group():
    pass


@users_group.command("create", help="Create one account.")
@click.option("--email", required=True, help="Used to sign in.")
@click.option("--name", required=True, help="Full name, shown in the app.")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_NAMES),
    help="Repeat for several roles.",
)
@click.password_option(help="At least 8 characters; asked for when not given.")
@with_appcontext
def create(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    session = get_session()
    try:
        user = accounts.create_user(
            session=session, email=email, name=name, password=password, roles=roles
        )
    except accounts.AccountError as problem:
        raise click.ClickException(str(problem)) from None
    session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(user.role_names))}).")


@users_group.command("import", help="Create accounts from a CSV file: all of them, or none.")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@with_appcontext
def import_(csv_file) -> None:
    """CSV_FILE has the header email,name,roles[,password]; roles are separated by ';'.

    Rows without a password get a generated one, printed once. When any row has a problem,
    every problem is listed with its line number and no account is created.
    """
    session = get_session()
    report = accounts.import_users_csv(session=session, text=csv_file.read())
    if not report.ok:
        session.rollback()
        count = len(report.problems)
        click.echo(f"Nothing imported: {count} problem(s) in {csv_file.name}", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    session.commit()
    click.echo(f"Imported {len(report.created)} account(s) from {csv_file.name}.")
    for email, password in report.created:
        if password:
            click.echo(f"  {email}  first password: {password}")


@users_group.command("list", help="List accounts with their roles.")
@with_appcontext
def list_() -> None:
    for user in accounts.list_users(get_session()):
        state = "" if user.is_active else "  (deactivated)"
        click.echo(f"{user.email:<36} {user.name:<28} {', '.join(sorted(user.role_names))}{state}")


def _user(session, email: str):
    user = accounts.find_user(session, email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    return user


@users_group.command("set-password", help="Set someone's password (asked for when not given).")
@click.argument("email")
@click.password_option(help="At least 8 characters; asked for twice when not given.")
@with_appcontext
def set_password(email: str, password: str) -> None:
    session = get_session()
    user = _user(session, email)
    try:
        accounts.set_password(session=session, user=user, password=password)
    except accounts.AccountError as problem:
        raise click.ClickException(str(problem)) from None
    session.commit()
    click.echo(f"New password set for {user.email}.")


@users_group.command("sign-out", help="Sign someone out on every device (a lost phone, a "
                                       "shared computer): every session and remembered "
                                       "sign-in ends.")
@click.argument("email")
@with_appcontext
def sign_out(email: str) -> None:
    session = get_session()
    user = _user(session, email)
    accounts.end_sessions(session=session, user=user)
    session.commit()
    click.echo(f"{user.email} is signed out on every device; their password still works.")


@users_group.command("reset-link", help="Print a one-time link that lets someone choose a new "
                                        "password (valid 24 hours).")
@click.argument("email")
@click.option("--site", metavar="URL",
              help="Your site's public address, e.g. https://sandbox.example.com, to print a "
                   "complete link; without it, the path to put after that address.")
@with_appcontext
def reset_link(email: str, site: str | None) -> None:
    from flask import current_app

    from sandbox import passwords

    user = _user(get_session(), email)
    try:
        token = passwords.reset_token(user, current_app.config["SECRET_KEY"])
    except passwords.PasswordError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{(site or '').rstrip('/')}/reset/{token}")
    send = f"send it to {user.email}: it works once, for {passwords.RESET_HOURS} hours."
    if site:
        click.echo(send[:1].upper() + send[1:], err=True)
    else:
        click.echo("Put your site's address in front (e.g. https://sandbox.example.com/reset/...) "
                   f"and {send}", err=True)
