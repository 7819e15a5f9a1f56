"""Demo accounts: one per role plus a few generated trainees, created once and never duplicated."""

from dataclasses import dataclass

from faker import Faker
from sqlmodel import Session

from sandbox import accounts


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    roles: tuple[str, ...]


DEMO_LOGINS = (
    DemoLogin("admin@example.com", "practise-admin", "Alex Admin", ("admin",)),
    DemoLogin("trainer@example.com", "practise-trainer", "Taylor Trainer", ("trainer",)),
    DemoLogin("hr@example.com", "practise-hr", "Harper HR", ("hr",)),
    DemoLogin("trainee@example.com", "practise-trainee", "Casey Trainee", ("trainee",)),
)
GENERATED_TRAINEES = 6
GENERATED_PASSWORD = "practise-trainee"


def generated_trainees(seed: int = 2026) -> list[DemoLogin]:
    """The same Faker-made trainees every time (seeded), with example.com addresses."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    people = []
    for _ in range(GENERATED_TRAINEES):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@example.com".lower().replace("'", "").replace(" ", "")
        people.append(DemoLogin(email, GENERATED_PASSWORD, f"{first} {last}", ("trainee",)))
    return people


def load_demo_users(session: Session) -> list[DemoLogin]:
    """Create the demo accounts that do not exist yet; returns the ones created."""
    created = []
    for login in (*DEMO_LOGINS, *generated_trainees()):
        if accounts.find_user(session, login.email):
            continue
        accounts.create_user(
            session=session, email=login.email, name=login.name, password=login.password,
            roles=login.roles,
        )
        created.append(login)
    session.commit()
    return created
