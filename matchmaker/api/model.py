"""/api/v1/model: the active recommendation model's card."""

from __future__ import annotations

from flask.views import MethodView

from matchmaker import app_cache
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.schemas.reference import ModelCardSchema
from matchmaker.db.repositories import changes
from matchmaker.flask_database import get_session
from matchmaker.services import recommendations

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
        """The active model: version, features with descriptions, training data, metrics

        `data_version` is the data version the model was trained on and `current_data_version`
        the data's version now (the newest public change to arrangements or organisations in
        `/api/v1/changes`): when it is higher, the model is older than the data."""
        card = recommendations.model_card(app_cache.current(), app_cache.dataset(), app_cache.model_path())
        session = get_session()
        trained_on = (card.get("training") or {}).get("data_version")
        return {
            **card,
            "version": card.get("created"),
            "data_version": trained_on,
            "current_data_version": changes.data_version(session),
        }
