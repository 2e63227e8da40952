"""What happened in the assessment, announced; the public side subscribes (oit_items.apps)."""

from django.dispatch import Signal

# A unit's year was frozen as submitted to ITAP (sent with `unit=` and `fiscal_year=` once committed):
# its live item pages now link to the record, so they are rendered again; nothing to index.
record_frozen = Signal()
