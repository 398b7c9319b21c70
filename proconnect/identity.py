"""What the portal keeps of a verified ProConnect identity, between the callback and the
page that registers or links it (in the agent's session, a few minutes at most)."""

import time
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SESSION_KEY = "proconnect.identity"
MAX_AGE = 30 * 60  # seconds: the registration form is filled in well within this


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    first_name: str
    last_name: str
    siret: str
    idp_id: str

    @classmethod
    def from_claims(cls, claims: dict) -> "Identity":
        """From checked claims; ValueError when one the portal needs is missing or odd."""

        def text(name, limit):
            value = claims.get(name) or ""
            if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 for c in value):
                raise ValueError(name)
            return " ".join(value.split())

        email = text("email", 254).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError("email") from None
        sub = text("sub", 255)
        if not sub:
            raise ValueError("sub")
        siret = text("siret", 20).replace(" ", "")
        return cls(
            sub=sub,
            email=email,
            first_name=text("given_name", 150),
            last_name=text("usual_name", 150),
            siret=siret if siret.isdigit() and len(siret) == 14 else "",
            idp_id=text("idp_id", 255),
        )

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


def identity_store(session, identity: Identity) -> None:
    session[SESSION_KEY] = {**asdict(identity), "at": int(time.time())}


def identity_from_session(session) -> Identity | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("at", 0) + MAX_AGE < time.time():
        return None
    return Identity(**{name: data[name] for name in Identity.__dataclass_fields__})


def identity_forget(session) -> None:
    session.pop(SESSION_KEY, None)
