"""How a provider's failure looks to our client."""

from __future__ import annotations

from core.errors import ApplicationError
from routing.providers.base import ProviderError


def provider_failure(error: ProviderError, provider: str) -> ApplicationError:
    """How a provider's failure looks to our client. Never leaks the provider credential."""
    if error.kind == "timeout":
        return ApplicationError(f"{provider} did not answer in time.", status=504, code="upstream_timeout")
    if error.kind == "connect":
        return ApplicationError(f"{provider} is unreachable.", status=502, code="upstream_unavailable")
    if error.kind == "protocol":
        return ApplicationError(f"{provider} sent an invalid answer.", status=502, code="upstream_protocol_error")
    status = error.status or 502
    if status == 429:
        return ApplicationError(
            f"{provider} is rate limiting: {error.message}", status=429, code="upstream_rate_limited"
        )
    if status in (401, 403):
        return ApplicationError(
            f"{provider} rejected the configured credentials.", status=502, code="upstream_auth_failed"
        )
    if 400 <= status < 500 and not error.retryable:
        return ApplicationError(error.message, status=400, code="upstream_rejected_request")
    return ApplicationError(error.message, status=502, code="upstream_error")
