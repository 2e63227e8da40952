"""How many units under a supervisor have their record as submitted to ITAP frozen: counted with the
stored scores, in the same query (figures.stored_scores)."""


def progress(unit, tree) -> dict:
    """{"frozen": N, "units": M}: frozen records of the year under `unit`, of its publishing units."""
    return {"frozen": tree.frozen, "units": tree.root.units}
