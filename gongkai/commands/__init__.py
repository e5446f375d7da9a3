"""Command modules of the `gongkai` CLI; each has `register(subparsers)`.

Add a module here and to COMMAND_MODULES; keep imports of heavy libraries inside handlers.
"""

from gongkai.commands import parse

COMMAND_MODULES = [parse]
