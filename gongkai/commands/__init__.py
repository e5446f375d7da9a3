"""Command modules of the `gongkai` CLI; each has `register(subparsers)`.

Add a module here and to COMMAND_MODULES; keep imports of heavy libraries inside handlers.
"""

from gongkai.commands import demo_data, export, flags, parse, rejected, review, run, sql

COMMAND_MODULES = [parse, run, demo_data, flags, sql, review, rejected, export]
