"""Command modules of the `gongkai` CLI; each has `register(subparsers)`.

Add a module here and to COMMAND_MODULES; keep imports of heavy libraries inside handlers.
"""

from gongkai.commands import collect, demo_data, doctor, export, flags, init, parse, rejected, review, run, sql

COMMAND_MODULES = [init, doctor, parse, collect, run, demo_data, flags, sql, review, rejected, export]
