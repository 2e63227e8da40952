from units import line


def line_enabled(request) -> dict:
    """The navigation shows the notification settings only where LINE is configured."""
    return {"line_enabled": line.enabled()}
