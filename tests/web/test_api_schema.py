"""Property-based test of the API from its own OpenAPI schema: no input gives a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from allegiance.web.app import create_app, create_pool

# Schemathesis runs the app's lifespan around each test; the pool outlives them (the app
# starts it, this module closes it), so the workers start once.
POOL = create_pool(warm=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(pool=POOL, warm=False)).exclude(
    path="/api/study"  # runs the whole bundled study; tested on a small study in test_api.py
)


@pytest.fixture(scope="module", autouse=True)
def _close_pool() -> Iterator[None]:
    yield
    POOL.close()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    assert "Traceback" not in response.text
