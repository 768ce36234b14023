"""The reading pages: dashboard, agreement and project lists and pages, organisation, region and
province pages, and the permission-checked file downloads."""
