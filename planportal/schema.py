"""The OpenAPI schema's refusals: every operation documents the errors it can answer.

drf-spectacular documents only the success of an operation. The portal's
refusals have one shape (planportal/api.py: ``{"detail", "code"}``, or the
fields with their messages and ``code``), so each operation gets the error
statuses that its form allows, all with that shape (described in English,
like the rest of the schema): a client, and the schemathesis run of
scripts/schemathesis.py, can check the body of a 400 or a 409 like the body
of a 200.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
WITH_BODY = {"POST", "PUT", "PATCH"}

DESCRIPTIONS = {
    400: "Bad input: each field or parameter named with its messages, or detail.",
    401: "No credentials, or a wrong or expired token.",
    403: "This account may not do this.",
    404: "No such object, or one the reader may not see; also a page number past the end.",
    409: "The state of the data forbids it (a version that is not a draft, a stale revision …).",
    413: "The request body is larger than the upload limit.",
    415: "The body is not in a format the endpoint reads (JSON, a form or multipart).",
    429: "Too many requests of this kind; try again later.",
}


class ErrorSerializer(serializers.Serializer):
    """A refusal (docs/api.md, "Errors"); a refusal that names fields has each
    field with a list of its messages beside ``code``."""

    code = serializers.CharField(help_text="A stable name of the kind of refusal.")
    detail = serializers.CharField(required=False, help_text="The message, for people.")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error answers of every operation.

    A view adds statuses of its own (a 429 of an abuse limit) with
    ``extend_schema(responses={429: ErrorSerializer, …})``; those it declares
    are left as they are.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code, response in responses.items():
            if code.isdigit() and int(code) in DESCRIPTIONS and not response.get("description"):
                response["description"] = DESCRIPTIONS[int(code)]
        for status in sorted(self.error_statuses(operation)):
            if str(status) not in responses:
                response = self._get_response_for_code(ErrorSerializer, str(status))
                response["description"] = DESCRIPTIONS[status]
                responses[str(status)] = response
        return operation

    def error_statuses(self, operation: dict) -> set[int]:
        locations = {parameter["in"] for parameter in operation.get("parameters", [])}
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        # A wrong or expired token is refused on every endpoint, public reads too.
        statuses = {401}
        if self.method in UNSAFE:
            statuses |= {403, 409}
        if self.method in WITH_BODY or "query" in locations:
            statuses.add(400)
        if self.method in WITH_BODY:
            statuses |= {413, 415}
        if "path" in locations or "page" in names:
            statuses.add(404)
        return statuses


def without_format_suffixes(endpoints):
    """Leave out the ``/versions/1.json`` twins of the routes (DefaultRouter's
    format suffixes): the same operations, already in the schema once."""
    return [endpoint for endpoint in endpoints if "{format}" not in endpoint[0]]
