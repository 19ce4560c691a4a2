"""/api/v1/docs: the API documented on a plain GOV.UK page, section by section, from the same
OpenAPI document the API serves (so it cannot drift from it), linking that document.

/api/v1/docs/interactive: Swagger UI from the vendored swagger-ui-dist files, no CDN, no inline
script (the Content-Security-Policy allows none of its own), configured by a static file."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory

SWAGGER_UI_DIR = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "swagger-ui-dist"
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


METHODS = ("get", "post", "put", "patch", "delete")


@blueprint.get("")
def docs():
    return render_template("api/docs.html", sections=sections(_openapi()), info=_openapi()["info"])


@blueprint.get("/interactive")
def interactive():
    return render_template("api/interactive.html")


def _openapi() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def sections(document: dict) -> list[dict]:
    """The document's tags in order, each with its operations: method, path and summary."""
    operations: dict[str, list[dict]] = {tag["name"]: [] for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for tag in operation.get("tags", ["Other"]):
                operations.setdefault(tag, []).append(
                    {"method": method.upper(), "path": path, "summary": operation.get("summary", "")}
                )
    descriptions = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    return [
        {"name": name, "description": descriptions.get(name, ""), "operations": found}
        for name, found in operations.items()
        if found
    ]


@blueprint.get("/swagger-ui/<name>")
def swagger_ui(name: str):
    if name not in SWAGGER_UI_FILES or not (SWAGGER_UI_DIR / name).is_file():
        abort(404)
    return send_from_directory(SWAGGER_UI_DIR, name, max_age=86400)
