"""The models of the oit_items app, for Django's loader only: each part defines its own, and code
imports them from the part (`oit_items.rulebook.models`, `oit_items.evidence.models`,
`oit_items.public.models`), so that no part reaches another through this module."""

from oit_items.evidence.models import *  # noqa: F403
from oit_items.public.models import *  # noqa: F403
from oit_items.rulebook.models import *  # noqa: F403
