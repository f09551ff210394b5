"""How services refuse: a ValidationError by field that also names the refusal with one code.

The API turns the code into its error (``core.api.service_refusal``); the UI shows the messages at the
fields (or at the top for ``__all__``); tests read the code.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def coded(errors, code: str) -> ValidationError:
    """A ValidationError of ``errors`` (a dict by field, a list or a message) carrying ``code``."""
    error = ValidationError(errors)
    error.code = code
    return error


def refuse(message, code: str) -> ValidationError:
    """A refusal of the whole request (not of one field)."""
    return coded({"__all__": [message]}, code)
