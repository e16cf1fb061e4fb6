"""gunicorn's own log lines (access and error) with personal numbers redacted.

gunicorn writes them itself, outside Django's logging configuration: the access line
carries the path and query string (a search for a phone number, for one; a learner's
access key in an old "/hoc/tiep-tuc/<key>/" link, for another). Used by
`loa serve` and deploy/systemd/loa-web.service: ``--logger-class
loa.ops.gunicorn_logger.RedactingLogger``. With LOA_LOG_FORMAT=json the lines are JSON
like Loa's own.
"""

import os

from gunicorn.glogging import Logger

from loa.core.logs import JSON_FORMAT, JsonFormatter, RedactFilter

LOGGER_CLASS = "loa.ops.gunicorn_logger.RedactingLogger"


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        json_lines = os.environ.get("LOA_LOG_FORMAT", "text").lower() == "json"
        for log in (self.access_log, self.error_log):
            for handler in log.handlers:
                handler.addFilter(RedactFilter())
                if json_lines:
                    handler.setFormatter(JsonFormatter(**JSON_FORMAT))
