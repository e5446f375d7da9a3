"""Command modules of the `gongkai` CLI; each has `register(subparsers)`.

Add a module here and to COMMAND_MODULES; keep imports of heavy libraries inside handlers.
"""

from gongkai.commands import demo_data, flags, parse, rejected, review, sql

COMMAND_MODULES = [parse, demo_data, flags, sql, review, rejected]
