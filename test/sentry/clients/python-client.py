# A Python app reporting to our Sentry endpoint with python-requests, the way sentry-python does:
# a gzip-compressed envelope, X-Sentry-Auth, the sentry.python user agent. Run by
# sentry-python-java.int.test.ts as: python3 python-client.py <dsn> <release> <variant>
import gzip
import json
import sys
import traceback
import uuid
from urllib.parse import urlsplit

import requests

dsn, release, variant = sys.argv[1:4]
parts = urlsplit(dsn)
key, project = parts.username, parts.path.strip("/").split("/")[-1]
endpoint = f"{parts.scheme}://{parts.hostname}:{parts.port}/api/{project}/envelope/"


def divide(a, b):
    return a / b


def handler(values):
    if variant == "other-path":
        return average(values)
    total = sum(values)
    return divide(total, len(values) - len(values))


def average(values):
    return divide(sum(values), 0)


def frames_of(tb):
    # sentry-python sends frames oldest-first, with in_app and source context.
    out = []
    for fs in traceback.extract_tb(tb):
        out.append({
            "filename": "app/" + fs.filename.rsplit("/", 1)[-1],
            "abs_path": fs.filename,
            "function": fs.name,
            "module": "app.views",
            "lineno": fs.lineno + (7 if variant == "shifted" else 0),
            "context_line": fs.line,
            "pre_context": ["SOURCE-LINE-MARKER"],
            "vars": {"password": "FRAME-VAR-MARKER"},
            "in_app": True,
        })
    return out


try:
    handler([1, 2, 3])
except ZeroDivisionError as exc:
    event_id = uuid.uuid4().hex
    event = {
        "event_id": event_id,
        "platform": "python",
        "level": "error",
        "release": release,
        "environment": "production",
        "server_name": "prod-db-host-7",
        "user": {"id": "user-8842", "email": "dana@example.com", "ip_address": "{{auto}}"},
        "modules": {"django": "5.0"},
        "contexts": {"runtime": {"name": "CPython", "version": "3.11.2"}, "os": {"name": "Linux"}},
        "exception": {"values": [{"type": type(exc).__name__, "value": str(exc), "module": None, "mechanism": {"type": "excepthook", "handled": False}, "stacktrace": {"frames": frames_of(exc.__traceback__)}}]},
    }
    header = {"event_id": event_id, "sent_at": "2026-11-22T10:00:00Z", "sdk": {"name": "sentry.python", "version": "2.19.0"}}
    body = b"\n".join(json.dumps(x).encode() for x in (header, {"type": "event", "content_type": "application/json"}, event)) + b"\n"
    r = requests.post(
        endpoint,
        data=gzip.compress(body),
        headers={
            "Content-Type": "application/x-sentry-envelope",
            "Content-Encoding": "gzip",
            "User-Agent": "sentry.python/2.19.0",
            "X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7, sentry_client=sentry.python/2.19.0",
        },
        timeout=10,
    )
    print(json.dumps({"status": r.status_code, "body": r.json(), "event_id": event_id}))
