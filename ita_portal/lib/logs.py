"""Logging filters named in settings.LOGGING."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Django logs a refused request (403, 404, 400) as a warning with the exception that refused it,
    so every 403 printed a whole traceback, burying the real errors. A client error is not a fault of
    ours: one line is enough. Server errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
