"""/api/v1/webhooks: keys with webhooks:manage subscribe HTTPS endpoints to change events."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from sqlalchemy import select

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.errors import ApiProblem, invalid, not_found
from matchmaker.api.links import API_ROOT
from matchmaker.api.schemas.webhooks import (
    DeliveryListSchema,
    SubscriptionCreateSchema,
    SubscriptionListSchema,
    SubscriptionSchema,
)
from matchmaker.db import ApiKey
from matchmaker.db.webhooks import WebhookDelivery, WebhookSubscription
from matchmaker.flask_database import get_session
from matchmaker.services import webhooks

SCOPE = "webhooks:manage"

blueprint = ResourceBlueprint(
    "api_webhooks",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Webhooks: change events POSTed to your HTTPS endpoint, signed the Standard "
    "Webhooks way, retried with backoff, with a delivery log.",
    tag="Webhooks",
)


def _key() -> ApiKey:
    principal = require(SCOPE)
    if not principal.actor.startswith("key:"):
        raise ApiProblem(403, "Webhooks belong to an API key: call with a key that has the webhooks:manage scope.")
    return get_session().scalar(select(ApiKey).where(ApiKey.prefix == principal.actor[4:]))


def _own(subscription_id: int) -> WebhookSubscription:
    key = _key()
    found = get_session().get(WebhookSubscription, subscription_id) if 0 < subscription_id < 2**31 else None
    if found is None or found.api_key_id != key.id:
        raise not_found(f"This key has no webhook subscription {subscription_id}.")
    return found


def representation(subscription: WebhookSubscription) -> dict[str, Any]:
    base = f"{API_ROOT}/webhooks/{subscription.id}"
    return {
        "id": subscription.id,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "description": subscription.description,
        "contact_email": subscription.contact_email,
        "active": subscription.active,
        "disabled_at": subscription.disabled_at,
        "disabled_reason": subscription.disabled_reason,
        "created_at": subscription.created_at,
        "links": {"self": base, "deliveries": f"{base}/deliveries"},
    }


def delivery_representation(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "message_id": delivery.message_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": [
            {
                "number": a.number,
                "at": a.at,
                "status_code": a.status_code,
                "error": a.error,
                "milliseconds": a.milliseconds,
            }
            for a in delivery.log
        ],
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
        "finished_at": delivery.finished_at,
    }


@blueprint.route("")
class Subscriptions(MethodView):
    @blueprint.response(200, SubscriptionListSchema)
    def get(self):
        """This key's webhook subscriptions"""
        no_store()
        return {"items": [representation(s) for s in webhooks.subscriptions_of(get_session(), _key())]}

    @blueprint.arguments(SubscriptionCreateSchema)
    @blueprint.response(201, SubscriptionSchema)
    def post(self, data):
        """Subscribe an endpoint to change events

        The response carries the signing `secret` once. Changes made from now on are sent; read
        earlier ones from `/api/v1/changes`. Events for private data (match-making requests) are
        sent only if the key has the scope to read them.
        Verify a delivery (Python, standard library only; `secret` is the `whsec_...` value):

        ```python
        import base64, hashlib, hmac, time

        def verify(secret, headers, body, tolerance=300):
            msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
            if abs(time.time() - int(stamp)) > tolerance:
                return False
            key = base64.b64decode(secret.removeprefix("whsec_"))
            mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
            expected = "v1," + base64.b64encode(mac).decode()
            return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())
        ```

        `body` is the raw request body (bytes), before any JSON parsing. The same `webhook-id` arrives
        again if a delivery is retried: keep the ids you have handled and ignore repeats.
        """
        key, session = _key(), get_session()
        no_store()
        try:
            subscription = webhooks.subscribe(
                session,
                key,
                data["url"],
                data["event_types"],
                webhooks.Policy.from_config(current_app.config),
                data.get("contact_email"),
                data.get("description"),
            )
        except webhooks.InvalidSubscription as problem:
            session.rollback()
            raise invalid(problem.field, problem.message, "json") from None
        body = representation(subscription)
        body["secret"] = webhooks.secret_for(subscription, current_app.config["SECRET_KEY"])
        session.commit()
        return body


@blueprint.route("/<int:subscription_id>")
class Subscription(MethodView):
    @blueprint.response(200, SubscriptionSchema)
    def get(self, subscription_id: int):
        """One subscription: whether it is on, and why it was switched off"""
        no_store()
        return representation(_own(subscription_id))

    @blueprint.response(204)
    def delete(self, subscription_id: int):
        """Stop sending to this endpoint (pending deliveries are cancelled)"""
        session = get_session()
        session.delete(_own(subscription_id))
        session.commit()


@blueprint.route("/<int:subscription_id>/enable")
class Enable(MethodView):
    @blueprint.response(200, SubscriptionSchema)
    def post(self, subscription_id: int):
        """Switch a disabled subscription back on (changes missed meanwhile are in /changes)"""
        subscription = _own(subscription_id)
        webhooks.enable(subscription)
        get_session().commit()
        no_store()
        return representation(subscription)


@blueprint.route("/<int:subscription_id>/deliveries")
class Deliveries(MethodView):
    @blueprint.response(200, DeliveryListSchema)
    def get(self, subscription_id: int):
        """The delivery log: the latest 100 deliveries, each with every attempt"""
        no_store()
        found = webhooks.deliveries_of(get_session(), _own(subscription_id))
        return {"items": [delivery_representation(d) for d in found]}
