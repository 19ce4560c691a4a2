"""Who is asking, and what they may do. The one place that decides who sees contact details."""

from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("public:read", "contacts:read", "requests:write", "adviser", "webhooks:manage")
DEFAULT_SCOPES = ("public:read",)
ROLE_SCOPES = {
    "viewer": ("public:read",),
    "council_officer": ("public:read", "contacts:read", "requests:write"),
    "adviser": ("public:read", "contacts:read", "requests:write", "adviser"),
    "admin": SCOPES,
}


@dataclass(frozen=True)
class Principal:
    """A signed-in user, an API key, or an anonymous visitor."""

    actor: str
    scopes: frozenset[str]
    user_id: int | None = None
    role: str | None = None
    organisation_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.actor.startswith("key:")

    def has(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Principal(actor="anonymous", scopes=frozenset(DEFAULT_SCOPES))


def principal_for_user(user) -> Principal:
    return Principal(
        actor=f"user:{user.id}",
        scopes=frozenset(ROLE_SCOPES.get(user.role, DEFAULT_SCOPES)),
        user_id=user.id,
        role=user.role,
        organisation_id=user.organisation_id,
    )


def principal_for_key(key) -> Principal:
    scopes = key.scope_set
    if key.user is not None:
        # A user's key can never do more than the user can.
        scopes = scopes & frozenset(ROLE_SCOPES.get(key.user.role, DEFAULT_SCOPES))
    return Principal(
        actor=f"key:{key.prefix}",
        scopes=frozenset(scopes),
        user_id=key.user_id,
        role=key.user.role if key.user else None,
        organisation_id=key.user.organisation_id if key.user else key.organisation_id,
    )


def may_see_contacts(principal: Principal) -> bool:
    return principal.has("contacts:read")


def is_adviser(principal: Principal) -> bool:
    return principal.has("adviser")


def validate_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)} (known: {', '.join(SCOPES)})")
    return sorted(set(scopes) | set(DEFAULT_SCOPES))
