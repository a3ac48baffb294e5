"""A learning platform (an LMS) simulated for the LTI 1.3 tests: its own RSA key, served on 127.0.0.1.

:class:`Platform` plays Canvas's or Moodle's side of an LTI 1.3 launch (the IMS Security Framework's
OpenID Connect third-party-initiated flow), in a thread:

- ``/jwks``: its public keyset (one RS256 key);
- ``/launch/<hint>``: the page a student's click on a link opens: an auto-submitting form that POSTs
  ``iss``, ``login_hint``, ``target_link_uri``, ``lti_message_hint``, ``client_id`` and
  ``lti_deployment_id`` to the tool's OIDC initiation URL (as Canvas and Moodle do);
- ``/auth``: the OIDC authorization endpoint. It checks the tool's request (``client_id``, a registered
  ``redirect_uri``, the ``login_hint`` of a launch it started, ``response_type=id_token``,
  ``response_mode=form_post``, ``scope=openid``, ``prompt=none``) and answers with an auto-submitting form
  that POSTs a signed ``id_token`` (RS256; the LTI 1.3 claims of an ``LtiResourceLinkRequest``, the tool's
  nonce inside) and the tool's ``state`` to the redirect URI. A refused request gets a 400 page instead.

:meth:`Platform.launch` starts a launch for a student and a target link and returns the ``/launch`` address
to open; its keyword arguments make a tampered launch (another signing key, audience, issuer, nonce or
deployment). :func:`follow` is a real HTTP client's walk through the launch (requests: redirects, cookies,
the auto-submitting forms), for tests without a browser.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
STUDENT_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


@dataclass
class Student:
    """A platform user: ``sub`` (the platform's opaque, stable id), name, e-mail and login (a custom claim)."""

    sub: str
    name: str
    email: str
    login: str


@dataclass
class Launch:
    """One started launch: who, where to, and what to tamper with when signing its id_token."""

    student: Student
    target_link_uri: str
    resource_link_id: str
    tamper: dict[str, Any] = field(default_factory=dict)
    id_tokens: list[str] = field(default_factory=list)   # every id_token the platform signed for it
    states: list[str] = field(default_factory=list)      # the tool's state sent back with each


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def autosubmit_form(action: str, fields: dict[str, str]) -> bytes:
    """An HTML page whose form POSTs ``fields`` to ``action`` as soon as it loads (the platform's way)."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in fields.items() if v is not None)
    return (f'<!doctype html><html><head><title>Launching...</title></head><body>'
            f'<form id="lti-autosubmit" method="post" action="{html.escape(action)}">{inputs}'
            f'<noscript><button type="submit">Continue</button></noscript></form>'
            f'<script>document.getElementById("lti-autosubmit").submit();</script></body></html>').encode()


class Platform:
    """A simulated LTI 1.3 platform on ``http://127.0.0.1:<port>`` (a context manager: stopped on exit).

    The tool (the hub) is registered with :meth:`register` (its redirect and OIDC initiation URLs, as an
    administrator pastes them into the platform); :meth:`settings` gives the hub's ``lti`` settings.
    """

    def __init__(self, *, client_id: str = "10000000000042", deployment_id: str = "1:course-psychotherapy",
                 issuer: str | None = None) -> None:
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.key = _new_key()
        self.kid = f"platform-{secrets.token_hex(4)}"
        self.redirect_uris: list[str] = []
        self.oidc_initiation_url: str | None = None
        self.launches: dict[str, Launch] = {}
        self.refused: list[str] = []   # why /auth refused a request
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = issuer or self.url   # Moodle's issuer is its address; Canvas's a fixed one
        self._thread = threading.Thread(target=self.server.serve_forever, name="lti-platform", daemon=True)
        self._thread.start()

    # --- what an administrator copies between the platform and the tool ------------------------------

    def settings(self) -> dict[str, Any]:
        """The hub's ``lti`` settings for this platform (``scripts.hub.lti.check_settings``'s keys)."""
        return {"issuer": self.issuer, "client_id": self.client_id, "authorize_url": f"{self.url}/auth",
                "jwks_url": f"{self.url}/jwks", "deployment_id": self.deployment_id}

    def register(self, urls: dict[str, str]) -> None:
        """Registers the tool: ``urls`` as ``scripts.hub.lti.tool_urls`` gives them."""
        self.redirect_uris = [urls["redirect_uri"]]
        self.oidc_initiation_url = urls["oidc_initiation_url"]

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
                          "e": _b64(numbers.e), "n": _b64(numbers.n)}]}

    # --- launches ------------------------------------------------------------------------------------

    def launch(self, student: Student, target_link_uri: str, **tamper: Any) -> str:
        """Starts a launch of ``target_link_uri`` for ``student``; returns the address to open.

        ``tamper`` (for the refusal tests): ``foreign_key=True`` (signed by a key the JWKS does not hold,
        under the JWKS's own key id), ``foreign_kid=True`` (that key under its own key id), ``aud=``,
        ``iss=``, ``nonce=``, ``deployment_id=``, ``drop=[claims]``.
        """
        if self.oidc_initiation_url is None:
            raise RuntimeError("register the tool first (Platform.register)")
        hint = secrets.token_urlsafe(12)
        with self._lock:
            self.launches[hint] = Launch(student, target_link_uri, f"link-{secrets.token_hex(4)}", tamper)
        return f"{self.url}/launch/{hint}"

    def launch_of(self, url: str) -> Launch:
        """The :class:`Launch` that :meth:`launch` returned ``url`` for."""
        return self.launches[url.rsplit("/", 1)[-1]]

    def id_token(self, launch: Launch, nonce: str) -> str:
        """The signed id_token of ``launch`` (the LTI 1.3 claims of a resource link launch)."""
        t = launch.tamper
        now = int(time.time())
        s = launch.student
        claims: dict[str, Any] = {
            "iss": t.get("iss", self.issuer), "aud": t.get("aud", self.client_id), "azp": self.client_id,
            "sub": s.sub, "iat": now, "exp": now + 300, "nonce": t.get("nonce", nonce),
            "name": s.name, "email": s.email,
            "given_name": s.name.split()[0], "family_name": s.name.split()[-1],
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": t.get("deployment_id", self.deployment_id),
            LTI + "target_link_uri": launch.target_link_uri,
            LTI + "resource_link": {"id": launch.resource_link_id, "title": "Lab"},
            LTI + "roles": [STUDENT_ROLE],
            LTI + "context": {"id": "course-psychotherapy", "label": "PSY-BRAIN",
                              "title": "Psychotherapy and the Brain"},
            LTI + "tool_platform": {"guid": "simulated-platform", "name": "Simulated LMS",
                                    "product_family_code": "simulated"},
            LTI + "custom": {"login_id": s.login},
        }
        for claim in t.get("drop", ()):
            claims.pop(claim, None)
        key, kid = self.key, self.kid
        if t.get("foreign_key"):
            key = _new_key()
        if t.get("foreign_kid"):
            key, kid = _new_key(), f"unknown-{secrets.token_hex(4)}"
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    # --- the HTTP side -------------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> tuple[int, bytes]:
        expected = {"response_type": "id_token", "response_mode": "form_post", "scope": "openid", "prompt": "none"}
        problems = [f"{k}={query.get(k)!r}, not {v!r}" for k, v in expected.items() if query.get(k) != v]
        if query.get("client_id") != self.client_id:
            problems.append(f"unknown client_id {query.get('client_id')!r}")
        if query.get("redirect_uri") not in self.redirect_uris:
            problems.append(f"redirect_uri {query.get('redirect_uri')!r} is not registered")
        for required in ("nonce", "state"):
            if not query.get(required):
                problems.append(f"no {required}")
        launch = self.launches.get(query.get("login_hint", ""))
        if launch is None or query.get("lti_message_hint") != launch.resource_link_id:
            problems.append("no launch of this login_hint and lti_message_hint")
        if problems:
            with self._lock:
                self.refused.extend(problems)
            return 400, html.escape("; ".join(problems)).encode()
        token = self.id_token(launch, query["nonce"])
        with self._lock:
            launch.id_tokens.append(token)
            launch.states.append(query["state"])
        return 200, autosubmit_form(query["redirect_uri"], {"id_token": token, "state": query["state"]})

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/jwks":
                    self._send(200, json.dumps(platform.jwks()).encode(), "application/json")
                elif parts.path == "/auth":
                    self._send(*platform._authorize(query))
                elif parts.path.startswith("/launch/") and parts.path[8:] in platform.launches:
                    hint = parts.path[8:]
                    launch = platform.launches[hint]
                    self._send(200, autosubmit_form(platform.oidc_initiation_url, {
                        "iss": platform.issuer, "login_hint": hint, "target_link_uri": launch.target_link_uri,
                        "lti_message_hint": launch.resource_link_id, "client_id": platform.client_id,
                        "lti_deployment_id": platform.deployment_id}))
                else:
                    self._send(404, b"not found")

            def do_POST(self) -> None:   # the authorization endpoint also takes a form post
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if urlsplit(self.path).path == "/auth":
                    self._send(*platform._authorize({k: v[0] for k, v in parse_qs(body).items()}))
                else:
                    self._send(404, b"not found")

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Platform:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "lti-autosubmit":
            self.action = a.get("action")
        elif tag == "input" and self.action is not None and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""


def autosubmit(response) -> tuple[str, dict[str, str]] | None:
    """(action, fields) of the platform's auto-submitting form in ``response``, or None."""
    if "text/html" not in response.headers.get("Content-Type", ""):
        return None
    form = _Form()
    form.feed(response.text)
    return (form.action, form.fields) if form.action else None


def follow(session, url: str, *, max_forms: int = 4):
    """Opens ``url`` with ``session`` (a requests.Session) as a browser would: follows redirects with its
    cookies and submits the platform's auto-submitting forms. Returns the last response and every
    (action, fields) posted, in order."""
    posted: list[tuple[str, dict[str, str]]] = []
    response = session.get(url, timeout=60)
    for _ in range(max_forms):
        form = autosubmit(response)
        if form is None:
            break
        posted.append(form)
        response = session.post(form[0], data=form[1], timeout=120)
    return response, posted
