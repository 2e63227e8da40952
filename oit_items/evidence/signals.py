"""What the evidence workflow announces to the parts above it, which subscribe in their AppConfig.ready()
and decide what it means for them; the workflow never imports them.

`evidence_taken_down` is sent inside the takedown's transaction (a receiver's changes commit or roll
back with it), with `unit`, `revision_ids` (the withdrawn files), `reason` and `at` (the time)."""

from django.dispatch import Signal

# A PDPA takedown withdrew published files: records that hold them (the record as submitted to ITAP)
# must let them go too, keeping when, why and the hash.
evidence_taken_down = Signal()
