"""Flask's own session cookie code, driven over stdin for Latchkey's tests.

Reads one JSON command per line, writes one JSON answer per line, so one
Python process serves a whole test file. Values cross the pipe in a small
"spec" encoding that says the Python type plainly (a tuple is
{"$tuple": [...]}, a float {"$float": "repr"}, a dict {"$dict": [[k, v]]}),
so neither side has to trust the format under test to carry them.

Debian bookworm ships Flask 2.2, which predates SECRET_KEY_FALLBACKS (3.1);
there the session interface is given Flask 3.1's key list instead: the
fallbacks oldest to newest, then SECRET_KEY last (itsdangerous signs with
the last key and verifies newest to oldest).
"""
import datetime
import json
import struct
import sys
import time
import traceback
import uuid
import zlib
from importlib.metadata import version
from unittest import mock

import flask
import itsdangerous
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

NATIVE_FALLBACKS = "SECRET_KEY_FALLBACKS" in flask.Flask.default_config


class FallbackAwareInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        keys = [*app.config.get("ORACLE_FALLBACKS", []), app.secret_key]
        return itsdangerous.URLSafeTimedSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
        )


def from_spec(spec):
    if isinstance(spec, list):
        return [from_spec(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    (kind, inner), = spec.items()
    if kind == "$dict":
        return {key: from_spec(value) for key, value in inner}
    if kind == "$tuple":
        return tuple(from_spec(item) for item in inner)
    if kind == "$float":
        return float(inner)
    if kind == "$int":
        return int(inner)
    if kind == "$bytes":
        return bytes.fromhex(inner)
    if kind == "$markup":
        return Markup(inner)
    if kind == "$uuid":
        return uuid.UUID(hex=inner)
    if kind == "$datetime":
        return datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=inner)
    raise ValueError(f"unknown spec {kind}")


def to_spec(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Markup):
        return {"$markup": str(value)}
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {"$int": str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, tuple):
        return {"$tuple": [to_spec(item) for item in value]}
    if isinstance(value, list):
        return [to_spec(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": [[key, to_spec(item)] for key, item in value.items()]}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, uuid.UUID):
        return {"$uuid": value.hex}
    if isinstance(value, datetime.datetime):
        if value.utcoffset() != datetime.timedelta(0):
            raise ValueError(f"datetime not in UTC: {value!r}")
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return {"$datetime": (value - epoch) // datetime.timedelta(seconds=1)}
    raise ValueError(f"no spec for {type(value).__name__}")


def key_from_spec(spec):
    return bytes.fromhex(spec["$bytes"]) if isinstance(spec, dict) else spec


def make_app(cmd):
    app = flask.Flask("oracle")
    app.secret_key = key_from_spec(cmd["secretKey"])
    fallbacks = [key_from_spec(key) for key in cmd.get("fallbacks", [])]
    if NATIVE_FALLBACKS:
        app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    else:
        app.config["ORACLE_FALLBACKS"] = fallbacks
        app.session_interface = FallbackAwareInterface()
    app.permanent_session_lifetime = datetime.timedelta(seconds=cmd.get("maxAge", 31 * 86400))
    return app


def frozen(now):
    # itsdangerous stamps int(time.time()); every test names its own clock
    return mock.patch.object(time, "time", return_value=now)


def op_hello(cmd):
    return {
        "flask": version("flask"), "itsdangerous": version("itsdangerous"),
        "nativeFallbacks": NATIVE_FALLBACKS, "zlib": zlib.ZLIB_RUNTIME_VERSION,
    }


def op_save(cmd):
    """The cookie a real request sets after putting `value` in the session."""
    app = make_app(cmd)
    value = from_spec(cmd["value"])

    @app.route("/save")
    def save():
        flask.session.clear()
        flask.session.update(value)
        return ""

    with frozen(cmd["now"]):
        response = app.test_client().get("/save")
        with app.app_context():
            json_text = app.session_interface.serializer.dumps(value)
            fallback_cookie = app.session_interface.get_signing_serializer(app).dumps(value)
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    cookie = headers[0].split(";", 1)[0][len("session="):] if headers else None
    # Flask sets no cookie for an empty session; the serializer still shows its bytes
    return {"cookie": cookie or fallback_cookie, "viaRequest": bool(cookie), "json": json_text}


def op_open(cmd):
    """What a real request sees in `session`, and why the serializer refused."""
    app = make_app(cmd)
    cookie = cmd["cookie"]
    with frozen(cmd["now"]):
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            session = app.session_interface.open_session(app, flask.request)
            serializer = app.session_interface.get_signing_serializer(app)
            try:
                serializer.loads(cookie, max_age=cmd.get("maxAge", 31 * 86400))
                error = None
            except Exception as exc:
                error = type(exc).__name__
            if cmd.get("brief"):
                # a zip bomb's megabytes need not cross the pipe: its size says enough
                return {"keys": sorted(session.keys()), "jsonBytes": len(json.dumps(dict(session))), "error": error}
            return {"value": to_spec(dict(session)), "error": error}


def op_sign_payload(cmd):
    """itsdangerous's own signature over a payload Flask's serializer would not write."""
    app = make_app(cmd)
    with frozen(cmd["now"]):
        signer = app.session_interface.get_signing_serializer(app).make_signer()
        return {"cookie": signer.sign(cmd["payload"]).decode("ascii")}


def op_tagged_dumps(cmd):
    app = flask.Flask("oracle")
    with app.app_context():
        return {"json": app.session_interface.serializer.dumps(from_spec(cmd["value"]))}


def op_tagged_loads(cmd):
    app = flask.Flask("oracle")
    with app.app_context():
        try:
            return {"value": to_spec(app.session_interface.serializer.loads(cmd["json"]))}
        except Exception as exc:
            return {"error": type(exc).__name__}


def op_float_repr(cmd):
    return {"reprs": [repr(struct.unpack(">d", bytes.fromhex(bits))[0]) for bits in cmd["bits"]]}


OPS = {name[3:]: fn for name, fn in globals().items() if name.startswith("op_")}

for line in sys.stdin:
    try:
        command = json.loads(line)
        answer = {"ok": OPS[command["op"]](command)}
    except Exception:
        answer = {"fail": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
