"""The REST API at /api/v1/ (django-ninja): the same selectors, services and access rules as the pages,
so a rule, a permission or a history entry holds whichever door the data comes through."""
