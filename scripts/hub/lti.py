"""Students log in to the class hub from the learning platform (Canvas, Moodle) with LTI 1.3.

:func:`configure` turns the hub settings' ``lti`` entry into jupyterhub-ltiauthenticator's LTI 1.3
authenticator (``scripts/hub/jupyterhub_config.py`` calls it when the entry is set; otherwise the workshop's
shared password stays the login); :func:`tool_urls` gives the addresses an instructor pastes into the
platform, :func:`placeholder_jwk` the public key Canvas's form asks for. ``python -m scripts.hub.lti URL``
prints both for a hub at URL.

The launch (LTI 1.3 is OpenID Connect's third-party-initiated implicit flow):

1. the platform sends the browser to the hub's *OIDC initiation URL* (``/hub/lti13/oauth_login``) with
   ``iss``, ``login_hint``, ``target_link_uri`` (and ``client_id``, ``lti_message_hint``);
2. the hub answers with a redirect to the platform's *authorize URL*, a ``state`` and a ``nonce`` kept in
   two encrypted cookies;
3. the platform posts a signed ``id_token`` to the hub's *redirect URI* (``/hub/lti13/oauth_callback``);
   the hub checks its signature against the platform's JWKS, its issuer, audience (the client id), age,
   LTI claims, the state and the nonce, then (:class:`LaunchCheck`) its deployment and username claim;
4. the student is logged in under that claim and sent on to the launch's ``target_link_uri``: the hub's
   home, or a lab's nbgitpuller link (``scripts.hub.nbgitpuller_link``).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

AUTHENTICATOR = "ltiauthenticator.lti13.auth.LTI13Authenticator"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"

#: The keys of the settings' ``lti`` entry: (required, what it is).
KEYS: dict[str, tuple[bool, str]] = {
    "issuer": (True, "the platform's issuer (Canvas: https://canvas.instructure.com; Moodle: the site's address)"),
    "client_id": (True, "the tool's client id on the platform (a string, or a list of them)"),
    "authorize_url": (True, "the platform's OIDC authorization endpoint (Canvas: "
                            "https://canvas.example.edu/api/lti/authorize_redirect; Moodle: <site>/mod/lti/auth.php)"),
    "jwks_url": (True, "the platform's public keyset (Canvas: https://canvas.example.edu/api/lti/security/jwks; "
                       "Moodle: <site>/mod/lti/certs.php)"),
    "deployment_id": (False, "the deployment id(s) launches may come from (a string or a list); "
                             "any deployment when absent"),
    "username_claim": (False, "the id_token claim that names the student on the hub (default 'sub'; "
                              "'email', or 'custom_<name>' for a custom parameter)"),
    "https": (False, "true when students reach the hub over https: https tool URLs, and cookies that "
                     "come back on the platform's cross-site form post (SameSite=None; Secure)"),
    "time_leeway": (False, "seconds of clock drift allowed between the platform and the hub (default 0)"),
    "tool_name": (False, "the tool's name in the platform (its /hub/lti13/config JSON)"),
}
DEFAULT_CLAIM = "sub"
TOOL_NAME = "Psychotherapy and the Brain"


class LTISettingsError(ValueError):
    """The hub settings' ``lti`` entry is wrong; the message names the valid keys or the expected value."""


def _key_list() -> str:
    return "; ".join(f"{key} ({'required' if required else 'optional'}): {text}"
                     for key, (required, text) in KEYS.items())


def _strings(key: str, value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple, set)) or not values or \
            not all(isinstance(v, str) and v.strip() for v in values):
        raise LTISettingsError(f"lti setting {key!r} must be a non-empty string or a list of them, not {value!r}")
    return sorted({v.strip() for v in values})


def _url(key: str, value: Any) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise LTISettingsError(f"lti setting {key!r} must be an http(s) address, not {value!r}")
    return value


def check_settings(lti: Mapping[str, Any]) -> dict[str, Any]:
    """The ``lti`` settings, checked and completed with their defaults.

    Parameters
    ----------
    lti : Mapping
        A learning platform's LTI 1.3 settings: the keys of :data:`KEYS` (``issuer``, ``client_id``,
        ``authorize_url`` and ``jwks_url`` are required).

    Returns
    -------
    dict
        The settings with lists for ``client_id`` and ``deployment_id`` (None: any deployment) and the
        defaults of the optional keys filled in.

    Raises
    ------
    LTISettingsError
        A key is unknown or missing, or a value is of the wrong kind; the message names the valid keys.

    Examples
    --------
    >>> lti = {"issuer": "https://canvas.instructure.com", "client_id": "10000000000042",
    ...        "authorize_url": "https://canvas.example.edu/api/lti/authorize_redirect",
    ...        "jwks_url": "https://canvas.example.edu/api/lti/security/jwks"}
    >>> checked = check_settings(lti)
    >>> checked["client_id"], checked["deployment_id"], checked["username_claim"], checked["https"]
    (['10000000000042'], None, 'sub', False)
    >>> check_settings({**lti, "clientid": "1"})
    Traceback (most recent call last):
    ...
    scripts.hub.lti.LTISettingsError: unknown lti setting 'clientid' (did you mean 'client_id'?); ...
    """
    if not isinstance(lti, Mapping):
        raise LTISettingsError(f"the lti settings must be a mapping of these keys, not {type(lti).__name__}: "
                               + _key_list())
    for key in lti:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LTISettingsError(f"unknown lti setting {key!r}{hint}; the valid keys: {_key_list()}")
    missing = [key for key, (required, _) in KEYS.items() if required and key not in lti]
    if missing:
        raise LTISettingsError(f"lti settings miss {', '.join(map(repr, missing))}; the valid keys: {_key_list()}")
    issuer = lti["issuer"]
    if not isinstance(issuer, str) or not issuer.strip():
        raise LTISettingsError(f"lti setting 'issuer' must be the platform's issuer string, not {issuer!r}")
    claim = lti.get("username_claim", DEFAULT_CLAIM)
    if not isinstance(claim, str) or not claim.strip() or claim == "custom_":
        raise LTISettingsError(f"lti setting 'username_claim' must name a claim ('sub', 'email', "
                               f"'custom_<name>'), not {claim!r}")
    https = lti.get("https", False)
    if not isinstance(https, bool):
        raise LTISettingsError(f"lti setting 'https' must be true or false, not {https!r}")
    leeway = lti.get("time_leeway", 0)
    if not isinstance(leeway, int) or isinstance(leeway, bool) or not 0 <= leeway <= 300:
        raise LTISettingsError(f"lti setting 'time_leeway' must be a number of seconds from 0 to 300, not {leeway!r}")
    name = lti.get("tool_name", TOOL_NAME)
    if not isinstance(name, str) or not name.strip():
        raise LTISettingsError(f"lti setting 'tool_name' must be a non-empty string, not {name!r}")
    deployments = lti.get("deployment_id")
    return {
        "issuer": issuer.strip(), "client_id": _strings("client_id", lti["client_id"]),
        "authorize_url": _url("authorize_url", lti["authorize_url"]), "jwks_url": _url("jwks_url", lti["jwks_url"]),
        "deployment_id": None if deployments is None else _strings("deployment_id", deployments),
        "username_claim": claim.strip(), "https": https, "time_leeway": leeway, "tool_name": name,
    }


class LaunchCheck:
    """JupyterHub's ``post_auth_hook`` for LTI launches: what ltiauthenticator leaves unchecked.

    ltiauthenticator names the student by whatever reaches its ``authenticate``, and JupyterHub's own login
    form (``POST /hub/login``) reaches it too, with the form's fields as the "token": a form with a field
    ``sub=<anyone>`` would log in as anyone. It also accepts any deployment id, and when the username claim
    is missing it quietly names the student by ``sub`` instead (one student could then have two hub
    accounts). This hook accepts only a login made by ltiauthenticator's launch handler (which has verified
    the id_token), from a deployment the settings list, with the username claim (else HTTP 403, with the
    reason).

    Parameters
    ----------
    deployments : list of str or None
        The deployment ids launches may come from; None: any.
    claim : str
        The username claim (``custom_<name>``: ``<name>`` in the custom claim).

    Examples
    --------
    >>> from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
    >>> launch_handler = object.__new__(LTI13CallbackHandler)  # stands for the hub's launch request
    >>> check = LaunchCheck(["1:abc"], "sub")
    >>> launch = {"name": "u-1", "auth_state": {"sub": "u-1", DEPLOYMENT_CLAIM: "1:abc"}}
    >>> check(None, launch_handler, launch)["name"]
    'u-1'
    >>> check(None, launch_handler, {"name": "u-1", "auth_state": {"sub": "u-1", DEPLOYMENT_CLAIM: "2:xyz"}})
    Traceback (most recent call last):
    ...
    tornado.web.HTTPError: HTTP 403: Forbidden (LTI launch from deployment '2:xyz', which this hub does not accept ...)
    >>> check(None, None, launch)  # the same claims posted to /hub/login's form
    Traceback (most recent call last):
    ...
    tornado.web.HTTPError: HTTP 403: Forbidden (students log in from the learning platform (LTI 1.3 launch), not ...)
    """

    def __init__(self, deployments: list[str] | None, claim: str) -> None:
        self.deployments = deployments
        self.claim = claim

    def __call__(self, authenticator: Any, handler: Any, authentication: dict) -> dict:
        """Returns ``authentication`` unchanged when the launch is accepted.

        Parameters
        ----------
        authenticator : Authenticator
            The hub's authenticator (unused).
        handler : RequestHandler
            The request that logs the student in: it must be ltiauthenticator's launch handler.
        authentication : dict
            ``name`` and ``auth_state`` (the verified id_token's claims).

        Returns
        -------
        dict
            ``authentication``.

        Raises
        ------
        tornado.web.HTTPError
            403 when the login is not an LTI launch, its deployment is not listed or the username claim is
            missing.

        Examples
        --------
        >>> from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
        >>> launch_handler = object.__new__(LTI13CallbackHandler)
        >>> LaunchCheck(None, "email")(None, launch_handler, {"name": "x", "auth_state": {"sub": "x"}})
        Traceback (most recent call last):
        ...
        tornado.web.HTTPError: HTTP 403: Forbidden (the LTI launch has no 'email' claim to name the student by ...)
        """
        from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
        from tornado.web import HTTPError

        if not isinstance(handler, LTI13CallbackHandler):
            raise HTTPError(403, "students log in from the learning platform (LTI 1.3 launch), "
                                 f"not with a form posted to {getattr(getattr(handler, 'request', None), 'path', '?')}")
        token = authentication.get("auth_state") or {}
        deployment = token.get(DEPLOYMENT_CLAIM)
        if self.deployments is not None and deployment not in self.deployments:
            raise HTTPError(403, f"LTI launch from deployment {deployment!r}, which this hub does not accept "
                                 f"(its deployments: {', '.join(map(repr, self.deployments))})")
        if self.claim.startswith("custom_"):
            value = (token.get(CUSTOM_CLAIM) or {}).get(self.claim.removeprefix("custom_"))
        else:
            value = token.get(self.claim)
        if not isinstance(value, str) or not value.strip():
            raise HTTPError(403, f"the LTI launch has no {self.claim!r} claim to name the student by "
                                 "(the platform's privacy setting may withhold it)")
        return authentication


def configure(c: Any, settings: Mapping[str, Any]) -> None:
    """Sets JupyterHub's login to the learning platform's LTI 1.3 launch.

    Called by ``scripts/hub/jupyterhub_config.py`` when the hub settings have an ``lti`` entry; without one
    the hub keeps the workshop's shared-password login.

    Parameters
    ----------
    c : traitlets.config.Config
        JupyterHub's configuration.
    settings : Mapping
        The hub settings (``scripts.hub.Hub.settings``); ``settings["lti"]`` is checked by
        :func:`check_settings`.

    Raises
    ------
    LTISettingsError
        The ``lti`` entry is wrong.

    Examples
    --------
    >>> from traitlets.config import Config
    >>> c = Config()
    >>> configure(c, {"lti": {"issuer": "https://moodle.example.edu", "client_id": "AbC123",
    ...     "authorize_url": "https://moodle.example.edu/mod/lti/auth.php",
    ...     "jwks_url": "https://moodle.example.edu/mod/lti/certs.php", "deployment_id": "3"}})
    >>> c.JupyterHub.authenticator_class
    'ltiauthenticator.lti13.auth.LTI13Authenticator'
    >>> c.LTI13Authenticator.client_id, c.LTI13Authenticator.username_key
    ({'AbC123'}, 'sub')
    >>> c.Authenticator.post_auth_hook.deployments
    ['3']
    """
    lti = check_settings(settings.get("lti"))
    c.JupyterHub.authenticator_class = AUTHENTICATOR
    auth = c.LTI13Authenticator
    auth.issuer = lti["issuer"]
    auth.client_id = set(lti["client_id"])
    auth.authorize_url = lti["authorize_url"]
    auth.jwks_endpoint = lti["jwks_url"]
    auth.jwks_algorithms = ["RS256"]  # LTI 1.3's algorithm (IMS Security Framework)
    auth.username_key = lti["username_claim"]
    auth.uri_scheme = "https" if lti["https"] else "auto"
    auth.tool_name = lti["tool_name"]
    auth.tool_description = "The course's labs in JupyterLab, on the class hub"
    c.LTI13LaunchValidator.time_leeway = lti["time_leeway"]
    c.Authenticator.post_auth_hook = LaunchCheck(lti["deployment_id"], lti["username_claim"])
    if lti["https"]:
        # The login's state and nonce cookies must come back on the platform's cross-site POST.
        # (JupyterHub's handlers read them from its tornado settings: jupyterhub/handlers/base.py)
        c.JupyterHub.tornado_settings.update({"cookie_options": {"samesite": "None", "secure": True}})


def _http_address(address: object, what: str):
    """``address`` split (urlsplit), or a ValueError naming ``what`` when it is not an http(s) address."""
    parts = urlsplit(address) if isinstance(address, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an http(s) address, not {address!r}")
    return parts


def tool_urls(hub_url: str) -> dict[str, str]:
    """The addresses of the hub as an LTI 1.3 tool, to paste into the platform.

    Parameters
    ----------
    hub_url : str
        Where students reach the hub (``https://hub.example.edu``; a ``/`` at the end is ignored).

    Returns
    -------
    dict
        ``oidc_initiation_url`` (Canvas: OpenID Connect Initiation Url; Moodle: Initiate login URL),
        ``redirect_uri`` (Canvas: Redirect URIs; Moodle: Redirection URI(s)), ``target_link_uri`` (Canvas:
        Target Link URI; Moodle: Tool URL) and ``config_url`` (the tool's JSON configuration, Canvas's
        "Enter URL" method).

    Raises
    ------
    ValueError
        ``hub_url`` is not an http(s) address.

    Examples
    --------
    >>> for name, url in tool_urls("https://hub.example.edu/").items():
    ...     print(f"{name}: {url}")
    oidc_initiation_url: https://hub.example.edu/hub/lti13/oauth_login
    redirect_uri: https://hub.example.edu/hub/lti13/oauth_callback
    target_link_uri: https://hub.example.edu/hub
    config_url: https://hub.example.edu/hub/lti13/config
    """
    _http_address(hub_url, "the hub's address")
    hub = hub_url.rstrip("/") + "/hub"
    return {"oidc_initiation_url": f"{hub}/lti13/oauth_login", "redirect_uri": f"{hub}/lti13/oauth_callback",
            "target_link_uri": hub, "config_url": f"{hub}/lti13/config"}


def launch_target(link: str) -> str:
    """The target link URI that opens ``link`` (a lab's nbgitpuller link) after an LTI launch.

    ltiauthenticator sends the student on to the launch's target link, but reads a target whose text contains
    ``next`` as ``...next=<address>`` and goes there instead; a link with ``next`` anywhere in it (a lab
    called ``next-steps``) is therefore given as the hub's login address with the whole link, quoted, as
    its ``next``. Other links are returned as they are.

    Parameters
    ----------
    link : str
        An address on the hub (``scripts.hub.nbgitpuller_link``).

    Returns
    -------
    str
        The address to give the platform as the link's target link URI (Canvas) or tool URL (Moodle).

    Raises
    ------
    ValueError
        ``link`` is not an http(s) address.

    Examples
    --------
    >>> launch_target("https://hub.example.edu/hub/user-redirect/git-pull?repo=r&urlpath=lab")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=r&urlpath=lab'
    >>> launch_target("https://hub.example.edu/hub/user-redirect/git-pull?repo=r&urlpath=lab/tree/next.ipynb")
    'https://hub.example.edu/hub/login?next=%2Fhub%2Fuser-redirect%2Fgit-pull%3Frepo%3Dr%26urlpath%3Dlab%2Ftree%2Fnext.ipynb'
    """
    from urllib.parse import quote

    parts = _http_address(link, "a launch's target")
    if "next" not in link:
        return link
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{parts.scheme}://{parts.netloc}/hub/login?next={quote(path, safe='')}"


def placeholder_jwk(seed_text: str = "") -> dict[str, str]:
    """A public RSA key in JWK form for the platform's "Public JWK" field, which the tool never uses.

    The hub only receives launches: it never signs a message to the platform (no grade passback or
    deep-linking response), so it has no key of its own. Canvas's developer key form still requires one;
    this is a freshly made public key whose private half is thrown away.

    Parameters
    ----------
    seed_text : str
        Appended to the key id (``kid``), to tell keys apart; optional.

    Returns
    -------
    dict
        ``kty``, ``alg``, ``use``, ``kid``, ``e`` and ``n`` of an RS256 public key.

    Raises
    ------
    TypeError
        ``seed_text`` is not a string.

    Examples
    --------
    >>> jwk = placeholder_jwk()
    >>> sorted(jwk), jwk["kty"], jwk["alg"], jwk["e"]
    (['alg', 'e', 'kid', 'kty', 'n', 'use'], 'RSA', 'RS256', 'AQAB')
    """
    import base64
    import secrets

    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(seed_text, str):
        raise TypeError(f"seed_text must be a string, not {type(seed_text).__name__}")
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_numbers()

    def b64(number: int) -> str:
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": f"unused-{secrets.token_hex(4)}{seed_text}",
            "e": b64(numbers.e), "n": b64(numbers.n)}


def main(argv: list[str] | None = None, out: Callable[[str], Any] = print) -> int:
    """``python -m scripts.hub.lti URL``: the tool's settings to paste into Canvas or Moodle.

    Parameters
    ----------
    argv : list of str, optional
        The command line (``[URL]``: where students reach the hub); ``sys.argv[1:]`` when None.
    out : callable
        Where the lines go (``print``).

    Returns
    -------
    int
        0, or 2 after a usage message.

    Raises
    ------
    SystemExit
        Never: a wrong command line returns 2.

    Examples
    --------
    >>> main(["https://hub.example.edu"], out=lambda line: None)
    0
    >>> main([], out=lambda line: None)
    2
    """
    import json

    argv = sys.argv[1:] if argv is None else argv
    try:
        if len(argv) != 1:
            raise ValueError("usage: python -m scripts.hub.lti https://hub.example.edu  (where students reach it)")
        urls = tool_urls(argv[0])
    except ValueError as why:
        out(str(why))
        return 2
    for name, url in urls.items():
        out(f"{name}: {url}")
    out("public JWK (Canvas requires one; the hub never signs, so it is never used):")
    out(json.dumps(placeholder_jwk()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
