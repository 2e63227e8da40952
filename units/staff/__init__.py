"""Staff pages with which a unit runs itself (its admin, or the admins of the units above):
contacts and emblem, officers, head, roles, item assignments, history; and onboarding
(spreadsheet import, invitations)."""
