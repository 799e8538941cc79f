"""One domain exception, rendered everywhere in the OpenAI error shape.

``{"error": {"message", "type", "code", "param"}}`` with the HTTP status the error carries.
Messages never contain secrets: callers pass what is safe to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# OpenAI's error "type" per HTTP status; our codes refine them.
_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    499: "client_disconnected",
    500: "server_error",
    502: "upstream_error",
    503: "service_unavailable",
    504: "upstream_timeout",
}


@dataclass
class ApplicationError(Exception):
    message: str
    status: int = 400
    code: str = "invalid_request"
    param: str | None = None
    type: str | None = None
    headers: dict[str, str] | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if self.type is None:
            self.type = _TYPE_BY_STATUS.get(self.status, "invalid_request_error")

    def as_body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "code": self.code, "param": self.param}}


def drf_exception_handler(exc, context):
    """DRF errors in the same shape as the gateway's."""
    from rest_framework import exceptions
    from rest_framework.response import Response
    from rest_framework.views import exception_handler

    if isinstance(exc, ApplicationError):
        return Response(exc.as_body(), status=exc.status, headers=exc.headers)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message, param = _first_validation_error(exc.detail)
        code = "invalid_request"
    else:
        detail = getattr(exc, "detail", str(exc))
        message, param = str(detail), None
        code = getattr(detail, "code", None) or "error"
    response.data = ApplicationError(message=message, status=response.status_code, code=code, param=param).as_body()
    return response


def _first_validation_error(detail, path: str = "") -> tuple[str, str | None]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = f"{path}.{key}" if path else str(key)
            message, param = _first_validation_error(value, sub)
            return message, param
    if isinstance(detail, list) and detail:
        return _first_validation_error(detail[0], path)
    where = path if path and path != "non_field_errors" else None
    return (f"{where}: {detail}" if where else str(detail)), where


def not_found(request, exception=None):
    """Django's 404 handler: the OpenAI error shape under ``/api/``, the dashboard's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        error = ApplicationError("No such endpoint or object.", status=404, code="not_found")
        return JsonResponse(error.as_body(), status=404)
    return page_not_found(request, exception)
