"""Staff pages of the integrity measures (staff/units/<slug>/measures/…), by feature."""
