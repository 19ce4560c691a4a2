"""Server-rendered pages: one blueprint per page area."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

HERE = Path(__file__).resolve().parent


def init_app(app: Flask) -> None:
    # Templates and static files live with the pages: matchmaker/web/{templates,static}.
    app.static_folder = str(HERE / "static")
    app.register_blueprint(Blueprint("web", __name__, template_folder="templates"))
    from matchmaker.web import (
        account,
        admin_keys,
        auth,
        councils,
        downloads,
        errors,
        experts,
        filters,
        funding,
        history,
        home,
        map,
        match_requests,
        model_admin,
        moderation,
        navigation,
        partners,
        passwords,
        programme,
        questionnaires,
        refresh,
        resubmission,
        static_files,
        statistics,
        submit,
        users,
    )

    auth.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    navigation.init_app(app)
    resubmission.init_app(app)
    for module in (
        home,
        councils,
        partners,
        map,
        downloads,
        statistics,
        account,
        submit,
        moderation,
        history,
        refresh,
        questionnaires,
        match_requests,
        experts,
        funding,
        programme,
        passwords,
        users,
        admin_keys,
        model_admin,
    ):
        app.register_blueprint(module.blueprint)
    static_files.init_app(app)
