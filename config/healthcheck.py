"""`python -m config.healthcheck`: exit 0 when this server's /healthz answers 200.

The Docker image's HEALTHCHECK (the slim image has no curl). It asks the
gunicorn of the same container on $PORT, with a Host header the site
accepts (the first of ALLOWED_HOSTS), over plain HTTP (/healthz is exempt
from the HTTPS redirect).
"""

import os
import sys
import urllib.error
import urllib.request


def allowed_host():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    return host.lstrip(".")  # ".example.com" allows example.com and its subdomains


def check(port=None, timeout=3):
    port = port or os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": allowed_host()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(200).decode("utf-8", "replace")
            return response.status == 200, body
    except (urllib.error.URLError, OSError) as exc:
        return False, str(exc)


def main():
    healthy, body = check()
    print(body)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
