"""Exit 0 when the service at the URL given accepts a TCP connection within two seconds."""

import socket
import sys
from urllib.parse import urlsplit

url = urlsplit(sys.argv[1])
default_ports = {"postgres": 5432, "postgresql": 5432, "redis": 6379}
try:
    socket.create_connection((url.hostname or "127.0.0.1", url.port or default_ports[url.scheme]), timeout=2).close()
except OSError:
    sys.exit(1)
