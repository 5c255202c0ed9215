from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from .base import utcnow

# "volunteer": signed up through the public page; sees no voter data until given work.
# "teller": stands outside a polling station and records who has voted (POST /api/tellings).
# "driver": gives voters lifts to the polls (claims lift requests); "committee": runs a committee
# room on polling day (its dashboard, knock-up rounds).
ROLES = ("organiser", "canvasser", "caller", "volunteer", "teller", "knocker", "driver", "committee")


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(default="", max_length=120)
    password_hash: Optional[str] = Field(default=None, max_length=255)  # None until an invite is used
    roles: str = Field(default="", max_length=100)  # space-separated subset of ROLES
    is_active: bool = Field(default=True)
    phone: Optional[str] = Field(default=None, max_length=20)  # E.164; Twilio rings it for bridged calls
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: Optional[datetime] = None
    # Part of the Flask-Login id: adding one ends every session signed in before (password
    # change, "sign out everywhere"). server_default so existing rows and raw inserts get 0.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles.split())

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    # Flask-Login protocol (kept here so the model needs no mixin import from Flask)
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"user:{self.id}:{self.session_generation or 0}"


class Invite(SQLModel, table=True):
    __tablename__ = "invites"

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)  # sha256 of the one-time token
    email: str = Field(max_length=254)
    roles: str = Field(default="", max_length=100)
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = None
    user_id: Optional[int] = Field(default=None, foreign_key="users.id")
