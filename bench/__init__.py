"""Repeatable load tests of govlab's public pages (see docs/performance.md)."""
