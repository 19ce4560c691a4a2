"""/api/v1/model: the active recommendation model's card."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.schemas.reference import ModelCardSchema
from matchmaker.database import get_session
from matchmaker.services import recommendations
from matchmaker.services.datasets import current_dataset

blueprint = ResourceBlueprint(
    "api_model",
    __name__,
    url_prefix="/api/v1/model",
    description="What ranks the recommendations: version, features, back-test metrics.",
    tag="Model",
)


@blueprint.route("")
class ModelCard(MethodView):
    @blueprint.response(200, ModelCardSchema)
    def get(self):
        """The active model: version, features with descriptions, training data, metrics."""
        card = recommendations.model_card(
            current_dataset(get_session()), current_app.config["MODEL_PATH"]
        )
        return {**card, "version": card.get("created")}
