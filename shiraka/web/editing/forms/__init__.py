"""Forms of the edit pages, on the shared form kit (`shiraka.web.kit.forms`): they check types and
sizes; the services check the rules."""
