"""SQLAlchemy 2 models, session handling, repositories and migrations."""

from matchmaker.db.arrangements import (
    Arrangement,
    ArrangementVersion,
    Membership,
    SavingsRecord,
    arrangement_services,
)
from matchmaker.db.base import Base
from matchmaker.db.changes import ChangeRecord
from matchmaker.db.form_posts import FormPost
from matchmaker.db.keys_and_audit import ApiKey, AuditEvent
from matchmaker.db.organisations import NeighbourPair, Organisation, ServiceArea, Succession
from matchmaker.db.people import Contact, PasswordToken, User
from matchmaker.db.programme import FundingClaim, FundingOffer, ProgrammeBudget
from matchmaker.db.stored_statistics import StoredStatistics
from matchmaker.db.submissions import RefreshResponse, RefreshRound, Submission
from matchmaker.db.training_runs import TrainingRun
from matchmaker.db.webhooks import JobCursor, WebhookAttempt, WebhookDelivery, WebhookSubscription
from matchmaker.db.workflow import (
    Assignment,
    Expert,
    MatchRequest,
    RequestEvent,
    SuggestionSnapshot,
)

__all__ = [
    "ApiKey",
    "Arrangement",
    "ArrangementVersion",
    "Assignment",
    "AuditEvent",
    "Base",
    "ChangeRecord",
    "Contact",
    "Expert",
    "FormPost",
    "FundingClaim",
    "FundingOffer",
    "MatchRequest",
    "Membership",
    "NeighbourPair",
    "Organisation",
    "PasswordToken",
    "ProgrammeBudget",
    "RefreshResponse",
    "RefreshRound",
    "RequestEvent",
    "SavingsRecord",
    "ServiceArea",
    "StoredStatistics",
    "Submission",
    "Succession",
    "SuggestionSnapshot",
    "User",
    "JobCursor",
    "TrainingRun",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
    "arrangement_services",
]
