"""Fixtures for the demo-data tests."""

import sys
import types

import pytest
from django.apps import apps


@pytest.fixture
def row_counts():
    """{model label: row count} for every model, plus the audit log length (to compare two runs)."""

    def count() -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        }

    return count


@pytest.fixture
def fake_challenges_demo(monkeypatch):
    """Stand in for govlab.challenges.demo (written elsewhere) and record how it is called."""
    calls: dict[str, list] = {"load": [], "generate": []}
    module = types.ModuleType("govlab.challenges.demo")
    module.load = lambda: calls["load"].append(())
    module.generate = lambda **kwargs: calls["generate"].append(kwargs) or kwargs["count"]
    monkeypatch.setitem(sys.modules, "govlab.challenges.demo", module)
    return calls


@pytest.fixture
def no_challenges_demo(monkeypatch):
    """Make govlab.challenges.demo look absent, whether or not it has been written yet."""
    monkeypatch.setitem(sys.modules, "govlab.challenges.demo", None)
