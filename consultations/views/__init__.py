"""The consultation in the browser: the public page, proposing, one's own
proposals, supports and reports, the outcome table and its files, and the
staff pages to open, extend, moderate and answer.

Views are thin: they parse a form, call one service or selector, and render.
A refused action shows the service's message on the page with what the
user typed kept, answered with the status of its refusal (planportal/errors.py:
400 for a form to correct, 409 when the state forbids it, 429 over the hourly
limit), the same as the API's.

One module per kind of screen: ``public.py`` (the list, a consultation's
page, the panels on the plan's pages, the outcome table and its CSV and
Excel files), ``residents.py`` (proposing, one's own proposals, editing,
withdrawing, supporting, reporting), ``staff.py`` (opening, extending,
moderating and answering). ``consultations/urls.py`` names each view by its
module.
"""
