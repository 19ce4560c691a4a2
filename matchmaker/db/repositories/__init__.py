"""List and filter queries shared by the API and the pages, with limit/offset pagination."""

from matchmaker.db.repositories import contact_changes  # noqa: F401 (its events record contact changes)
from matchmaker.db.repositories.pages import Page

__all__ = ["Page"]
