"""The report pages in the browser, a module per screen (reports/urls.py).

``plan_reports``: a plan's reports and staff's "make the report of year N";
``report``: the report page; ``narratives``: staff's narrative editor;
``actions``: staff's steps of the report's way (submit, take back, the
council decision, a corrected revision). Every view checks the role first,
then calls one selector or service of reports/, which checks again.
"""
