"""/api/v1/docs: Swagger UI from the vendored swagger-ui-dist files, no CDN, no inline script
(the Content-Security-Policy forbids inline script), configured by a static file."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, send_from_directory

SWAGGER_UI_DIR = (
    Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "swagger-ui-dist"
)
SWAGGER_UI_FILES = (
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-bundle.js.map",
    "swagger-ui.css.map",
)

blueprint = Blueprint(
    "api_docs",
    __name__,
    url_prefix="/api/v1/docs",
    static_folder="static",
    static_url_path="/static",
    template_folder="templates",
)


@blueprint.get("")
def docs():
    return render_template("api/docs.html")


@blueprint.get("/swagger-ui/<name>")
def swagger_ui(name: str):
    if name not in SWAGGER_UI_FILES or not (SWAGGER_UI_DIR / name).is_file():
        abort(404)
    return send_from_directory(SWAGGER_UI_DIR, name, max_age=86400)
