"""What happened to a framework, announced by the rulebook; the evidence workflow (stored readiness)
and the public side (pages, search) subscribe in oit_items.apps. Both are sent with `framework=`."""

from django.dispatch import Signal

# A new version changed the items' texts or rules (sent inside the transaction that changed them).
requirements_changed = Signal()

# A framework's items were copied into a new year, `item_ids` {old item id: new item id} (sent inside the
# transaction that copies them, so that what follows them is copied in it too).
items_copied = Signal()

# A framework was copied into a new year, committed, by a background job or a command.
framework_added = Signal()
