"""Kept for imports from before the split: the public pages live in views_public, the lab's in views_lab."""

from .views_public import challenge_detail, challenge_list

__all__ = ["challenge_detail", "challenge_list"]
