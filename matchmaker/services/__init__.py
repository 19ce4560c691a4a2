"""Application services shared by the API, the pages and the commands (no Flask here)."""
