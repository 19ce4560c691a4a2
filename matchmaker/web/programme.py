"""The programme dashboard for advisers: requests and their results, funding by year and offer,
savings reported by supported arrangements; with CSV and Excel downloads of the same figures."""
from __future__ import annotations

from flask import Blueprint, render_template

from matchmaker.web.moderation import adviser_only

blueprint = Blueprint("programme", __name__, url_prefix="/programme")


@blueprint.get("")
@adviser_only
def dashboard():
    return render_template("programme/dashboard.html")
