"""The demo's calls for solutions, solver profiles and applications, from the seed documents.

See calls.py (the calls, their criteria, forms and Q&A) and solvers.py (solver organisations, their
contact people and applications). govlab/calls/demo.py loads them through the services.
"""

from __future__ import annotations

from .calls import CALLS, READINESS
from .solvers import APPLICATIONS, CONTACTS, FOUNDER, NEW_SOLVERS, PROFILES

__all__ = ["APPLICATIONS", "CALLS", "CONTACTS", "FOUNDER", "NEW_SOLVERS", "PROFILES", "READINESS"]
