"""List and filter queries shared by the API and the pages, with limit/offset pagination."""

from matchmaker.db.repositories.pages import Page

__all__ = ["Page"]
