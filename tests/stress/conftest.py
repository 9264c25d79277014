"""Stress tests (`make stress`): the load and soak tests against the running chat page. They need the real
corpus and model and take minutes, so they run only when asked: `pytest -m stress` or PCA_STRESS=1."""

from __future__ import annotations

import os

import pytest

STRESS_ASKED = os.environ.get("PCA_STRESS") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stress: load and soak tests against a running chat page (make stress)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if STRESS_ASKED or "stress" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="stress tests run with `make stress` (or PCA_STRESS=1)")
    for item in items:
        if "stress" in item.keywords:
            item.add_marker(skip)
