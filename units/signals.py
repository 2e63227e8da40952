"""What happened to a unit, announced by the parts low in the house (the evidence workflow, the unit's
own pages, the measures); the public side, higher up, subscribes (oit_items.apps) and decides what to
render and index again. Senders never import their subscribers.

Both are sent with `unit=`; send them once the change is committed (`transaction.on_commit`) when a
subscriber would otherwise read rows the transaction may still roll back."""

from django.dispatch import Signal

# The unit's published record changed (an approval, a takedown): its pages and its search index.
published_record_changed = Signal()

# The unit's details changed (contacts, head, emblem, EIT survey address): its pages only — the search
# index holds none of them.
unit_details_changed = Signal()
