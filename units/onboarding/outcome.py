"""What the dry run plans for each row: the action, the changes, the errors, and the object to write
(shared by checking.py and user_rows.py)."""

from dataclasses import dataclass, field

CREATE, UPDATE, UNCHANGED, REFUSE = "create", "update", "unchanged", "refuse"


@dataclass
class RowResult:
    sheet: str
    row: int
    key: str
    action: str = UNCHANGED
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # imported anyway, but the importer should know

    def as_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "key": self.key, "action": self.action,
                "changes": self.changes, "errors": self.errors, "warnings": self.warnings}


@dataclass
class Planned:
    """One object the import will write: a model instance (new, or existing with changes)."""
    result: RowResult
    obj: object
    new: bool
    changed: list = field(default_factory=list)  # field names, for bulk_update
    parent: str = ""  # units: parent code; officers: unit code
    head: str = ""
    row: object = None

    def __post_init__(self):
        if self.new and self.result.action != REFUSE:  # a row refused before its object was planned stays so
            self.result.action = CREATE
