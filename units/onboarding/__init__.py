"""Onboarding from a spreadsheet: the unit tree, officers and logins with their roles.

columns.py   the documented template (what each sheet and column means)
reader.py    XLSX / CSV (UTF-8, with or without BOM) into rows
checking.py  the dry run: every row created, updated, unchanged or refused (with Thai reasons)
applying.py  the apply, in one transaction, in bulk, with history and invitations
jobs.py      both as background jobs with a state the page polls
"""
