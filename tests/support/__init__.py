"""Helpers shared by the tests: API keys, signing in, CSRF tokens, demo principals and the refresh
workflow's steps. Fixtures stay in conftest.py files; plain functions live here."""
