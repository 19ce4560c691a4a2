"""A resource's blueprint, listed in the API documentation under a readable section name."""

from __future__ import annotations

from flask_smorest import Blueprint


class ResourceBlueprint(Blueprint):
    """flask-smorest's Blueprint whose operations are tagged ``tag`` (e.g. "Organisations")
    instead of the blueprint's internal name; URLs and endpoint names are unchanged."""

    def __init__(self, name: str, import_name: str, *, tag: str, **kwargs) -> None:
        super().__init__(name, import_name, **kwargs)
        self.tag = tag

    def route(self, rule, *, parameters=None, tags=None, **options):
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)
