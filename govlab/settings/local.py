"""The demo and development: SQLite under var/, mail to the console, tasks inline."""

from .base import *  # noqa: F403 (settings modules extend the base by design)

DEBUG = True
