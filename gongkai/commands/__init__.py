"""Command modules of the `gongkai` CLI; each has `register(subparsers)`.

Add a module here and to COMMAND_MODULES; keep imports of heavy libraries inside handlers.
"""

from gongkai.commands import collect, demo_data, export, flags, init, parse, rejected, review, run, sql

COMMAND_MODULES = [init, parse, collect, run, demo_data, flags, sql, review, rejected, export]
