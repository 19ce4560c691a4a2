"""Click commands for the `matchmaker` console script, one module per area."""

from __future__ import annotations

import importlib

from flask import Flask

COMMAND_MODULES = (
    "matchmaker.commands.database",
    "matchmaker.commands.data",
    "matchmaker.commands.serve",
    "matchmaker.commands.backup",
    "matchmaker.commands.engine",
    "matchmaker.commands.keys",
    "matchmaker.commands.users",
    "matchmaker.commands.refresh",
    "matchmaker.commands.worker",
)


def register_commands(app: Flask) -> None:
    for module_name in COMMAND_MODULES:
        for command in importlib.import_module(module_name).COMMANDS:
            app.cli.add_command(command)
