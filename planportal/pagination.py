"""The API's pagination (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"])."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every API list: 100 items a page, ``?page_size=`` up to 1000."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
