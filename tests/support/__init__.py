"""Helpers shared by the tests: the test databases, API keys, signing in, CSRF tokens, demo
principals, the refresh workflow's steps, small known worlds for the model, the browser's live server,
workers and receivers. Fixtures stay in conftest.py files; plain functions and classes live here,
and no test imports from a conftest or from another test module."""
