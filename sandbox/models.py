"""Database tables."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer
from sqlmodel import Field, Relationship, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    """What a person may do; a user may hold several."""

    TRAINEE = "trainee"
    TRAINER = "trainer"
    HR = "hr"
    ADMIN = "admin"


ROLE_NAMES = tuple(role.value for role in Role)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)

    roles: list["UserRole"] = Relationship(
        back_populates="user",
        sa_relationship_kwargs={"lazy": "selectin", "cascade": "all, delete-orphan"},
    )

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_names(self) -> set[str]:
        return {link.role for link in self.roles}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names & set(roles))


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (
        CheckConstraint(
            "role IN ('trainee', 'trainer', 'hr', 'admin')", name="ck_user_role_known_role"
        ),
    )

    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    )
    role: str = Field(primary_key=True, max_length=20)

    user: User = Relationship(back_populates="roles")


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept for throttling repeated failures."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    succeeded: bool
    at: datetime = Field(default_factory=utcnow, index=True)
