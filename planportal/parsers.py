"""The API's JSON parser (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"])."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing nesting deeper than ``API_JSON_MAX_DEPTH``.

    Python's decoder recurses once per level: a body nested a thousand deep
    raised ``RecursionError`` (a 500), and anything deep enough to parse could
    still exhaust the stack of whatever walks it next. No endpoint takes more
    than a few levels, so a deep body is bad input (400 ``invalid``).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise self.too_deep() from None
        if _depth_exceeds(data, settings.API_JSON_MAX_DEPTH):
            raise self.too_deep()
        return data

    def too_deep(self) -> exceptions.ParseError:
        return exceptions.ParseError(
            _("JSON parse error - nested deeper than %(depth)d levels.")
            % {"depth": settings.API_JSON_MAX_DEPTH}
        )


def _depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects in ``data`` nest deeper than ``limit`` (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
