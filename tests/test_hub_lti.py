"""Students log in to the class hub from the learning platform with LTI 1.3 (scripts/hub/lti.py), end to end.

The quick tests read the hub's real configuration file (scripts/hub/jupyterhub_config.py) with and without
the ``lti`` settings, the settings' errors and the tool's addresses.

The ``hub`` tests start one real JupyterHub with jupyterhub-ltiauthenticator's LTI 1.3 login against a
platform simulated here (tests/lti_platform.py: its own RSA key and JWKS on 127.0.0.1, a signed launch):

- a student launched from the platform (a real HTTP client through the real redirects and form posts,
  with cookies) is logged in under their LMS identity;
- a launch whose target is a lab's nbgitpuller link, in Chromium, pulls the course into that student's
  home and opens the lab in JupyterLab;
- launches signed by a key the platform's JWKS does not hold, for another audience, issuer or
  deployment, with another nonce, or replayed, are refused, and so is JupyterHub's own login form
  posting LTI claims: the student is not logged in (no hub cookie, no user).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from lti_platform import Platform, Student, follow
from support import class_hub_folder, hub_user_prefix, refuse_other_hosts

from conftest import ROOT
from scripts.hub import CONFIG, Hub, HubError, bare_course, nbgitpuller_link, pull_folder
from scripts.hub.lti import KEYS, LaunchCheck, LTISettingsError, check_settings, launch_target, tool_urls

LAB = "chapters/01-plasticity/hebbian-lab.ipynb"
BRANCH = "course"
LTI_SETTINGS = {"issuer": "https://canvas.instructure.com", "client_id": "10000000000042",
                "authorize_url": "https://canvas.example.edu/api/lti/authorize_redirect",
                "jwks_url": "https://canvas.example.edu/api/lti/security/jwks"}


def student(tag: str) -> Student:
    """A student whose platform id (``sub``, the hub's username) is unique to the test that uses it."""
    return Student(sub=f"lti-{tag}-7f3a", name=f"Ada {tag.title()} Byron", email=f"{tag}@uni.example.edu",
                   login=f"ab{tag}")


def hub_config(tmp_path, monkeypatch, lti):
    """The traitlets config that scripts/hub/jupyterhub_config.py makes from a hub's settings."""
    from traitlets.config.loader import PyFileConfigLoader

    import scripts.hub

    monkeypatch.setattr(scripts.hub, "ensure_proxy", lambda *a: tmp_path / "configurable-http-proxy")
    monkeypatch.setattr(scripts.hub, "ensure_store", lambda store: store)
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps(Hub(tmp_path, store=tmp_path / "store", lti=lti).settings()))
    monkeypatch.setenv("THERAPYBRAIN_HUB_SETTINGS", str(settings))
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


# --- quick tests --------------------------------------------------------------------------------------

def test_without_lti_settings_the_workshop_password_is_the_login(tmp_path, monkeypatch):
    c = hub_config(tmp_path, monkeypatch, None)
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert "LTI13Authenticator" not in c and "post_auth_hook" not in c.Authenticator


def test_lti_settings_make_the_platform_the_login(tmp_path, monkeypatch):
    c = hub_config(tmp_path, monkeypatch, {**LTI_SETTINGS, "deployment_id": ["1:a", "2:b"]})
    assert c.JupyterHub.authenticator_class == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    auth = c.LTI13Authenticator
    assert (auth.issuer, auth.client_id, auth.authorize_url, auth.jwks_endpoint, auth.username_key) == (
        LTI_SETTINGS["issuer"], {"10000000000042"}, LTI_SETTINGS["authorize_url"], LTI_SETTINGS["jwks_url"], "sub")
    hook = c.Authenticator.post_auth_hook
    assert isinstance(hook, LaunchCheck) and hook.deployments == ["1:a", "2:b"] and hook.claim == "sub"
    assert auth.uri_scheme == "auto" and "cookie_options" not in c.JupyterHub.tornado_settings.get_value({})
    # the class's other settings are untouched (the admin service)
    assert [service["name"] for service in c.JupyterHub.services] == ["class-admin"]


def test_https_hub_cookies_come_back_on_the_platforms_cross_site_post(tmp_path, monkeypatch):
    c = hub_config(tmp_path, monkeypatch, {**LTI_SETTINGS, "https": True, "username_claim": "custom_login_id"})
    settings = c.JupyterHub.tornado_settings.get_value({})   # what JupyterHub's handlers read
    assert settings["cookie_options"] == {"samesite": "None", "secure": True}
    assert c.LTI13Authenticator.uri_scheme == "https" and c.LTI13Authenticator.username_key == "custom_login_id"


@pytest.mark.parametrize(("change", "message"), [
    ({"clientid": "1"}, r"unknown lti setting 'clientid' \(did you mean 'client_id'\?\)"),
    ({"client_id": None}, r"'client_id' must be a non-empty string or a list"),
    ({"client_id": []}, r"'client_id' must be a non-empty string or a list"),
    ({"jwks_url": "platform.example/jwks"}, r"'jwks_url' must be an http\(s\) address"),
    ({"deployment_id": 3}, r"'deployment_id' must be a non-empty string or a list"),
    ({"username_claim": ""}, r"'username_claim' must name a claim"),
    ({"https": "yes"}, r"'https' must be true or false"),
    ({"time_leeway": -1}, r"'time_leeway' must be a number of seconds"),
])
def test_bad_settings_name_the_valid_keys(change, message):
    with pytest.raises(LTISettingsError, match=message) as error:
        check_settings({**LTI_SETTINGS, **change})
    if "unknown" in message:
        assert all(key in str(error.value) for key in KEYS)


def test_missing_settings_are_named(tmp_path, monkeypatch):
    with pytest.raises(LTISettingsError, match=r"lti settings miss 'authorize_url', 'jwks_url'; the valid keys: "):
        check_settings({"issuer": "https://moodle.example.edu", "client_id": "x"})
    with pytest.raises(LTISettingsError, match="must be a mapping of these keys"):
        check_settings(["issuer"])
    # the hub's configuration file stops with the same message, not one from inside ltiauthenticator
    with pytest.raises(LTISettingsError, match="lti settings miss 'jwks_url'"):
        hub_config(tmp_path, monkeypatch, {k: v for k, v in LTI_SETTINGS.items() if k != "jwks_url"})


def test_tool_urls_are_the_authenticators_own_routes():
    """The addresses the guide tells instructors to paste are those ltiauthenticator serves."""
    from ltiauthenticator.lti13.auth import LTI13Authenticator

    urls = tool_urls("https://hub.example.edu/")
    auth = LTI13Authenticator()
    assert urls["oidc_initiation_url"] == "https://hub.example.edu" + auth.login_url("/hub/")
    assert urls["redirect_uri"] == "https://hub.example.edu" + auth.callback_url("/hub/")
    assert urls["config_url"] == "https://hub.example.edu" + auth.config_json_url("/hub/")
    routes = {route.strip("/") for route, _ in auth.get_handlers(None)}
    assert routes == {"lti13/oauth_login", "lti13/oauth_callback", "lti13/config"}
    with pytest.raises(ValueError, match="http"):
        tool_urls("hub.example.edu")


def test_launch_target_keeps_a_plain_link_and_wraps_one_that_says_next():
    plain = nbgitpuller_link("https://hub.example.edu", "https://github.com/o/course.git", "main", LAB)
    assert launch_target(plain) == plain
    risky = nbgitpuller_link("https://hub.example.edu", "https://github.com/o/next-term.git", "main", LAB)
    wrapped = launch_target(risky)
    assert wrapped.startswith("https://hub.example.edu/hub/login?next=%2Fhub%2Fuser-redirect%2Fgit-pull%3F")
    assert wrapped.count("next=") == 1   # the link's own text is quoted whole


GUIDE = ROOT / "chapters" / "instructor" / "lti.md"


def guide_blocks(kind: str, caption: str) -> list[str]:
    text = GUIDE.read_text()
    return re.findall(rf"```{{code-block}} {kind}\n:caption: {re.escape(caption)}\n\n(.*?)```", text, re.S)


def test_the_guides_settings_are_valid_and_its_addresses_are_the_tools():
    [settings] = guide_blocks("json", "lti.json")
    checked = check_settings(json.loads(settings))
    assert checked["https"] and checked["username_claim"] == "sub"
    text = GUIDE.read_text()
    for name, url in tool_urls("https://hub.example.edu").items():
        assert f"{name}: {url}" in text
    assert "- file: chapters/instructor/lti" in (ROOT / "_toc.yml").read_text()


def test_the_guides_zero_to_jupyterhub_check_refuses_the_login_form_and_other_deployments():
    """The ``hub.extraConfig`` the guide gives (Zero to JupyterHub's hub has no scripts.hub.lti) does what
    LaunchCheck does: only a verified launch, only from the listed deployment."""
    import yaml
    from ltiauthenticator.lti13.handlers import LTI13CallbackHandler
    from tornado.web import HTTPError
    from traitlets.config import Config

    [block] = guide_blocks("yaml", "config.yaml")
    values = yaml.safe_load(block)
    lti = values["hub"]["config"]["LTI13Authenticator"]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == \
        "ltiauthenticator.lti13.auth.LTI13Authenticator"
    assert check_settings({"issuer": lti["issuer"], "client_id": lti["client_id"],
                           "authorize_url": lti["authorize_url"], "jwks_url": lti["jwks_endpoint"]})
    c = Config()
    exec(values["hub"]["extraConfig"]["lti-launches-only"], {"c": c})
    hook = c.Authenticator.post_auth_hook
    launch_handler = object.__new__(LTI13CallbackHandler)
    [deployment] = re.findall(r'DEPLOYMENTS = \{"([^"]+)"\}', block)
    ok = {"name": "s", "auth_state": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": deployment}}
    assert hook(None, launch_handler, ok) is ok
    with pytest.raises(HTTPError, match="log in from the learning platform"):
        hook(None, None, ok)   # JupyterHub's login form
    other = {"name": "s", "auth_state": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "9:x"}}
    with pytest.raises(HTTPError, match="not this course's"):
        hook(None, launch_handler, other)


# --- the hub ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hub_folder():
    """The module's hub folder (state, homes, course): one every student's user may pass through."""
    with class_hub_folder("hub-lti-") as folder:
        yield folder


@pytest.fixture(scope="module")
def course(hub_folder) -> str:
    """A bare ``file://`` clone of this repository at HEAD, branch ``course``, in a folder called
    ``next-term`` (a target link that names ``next`` is what ltiauthenticator misreads)."""
    (hub_folder / "next-term").mkdir()
    return bare_course(hub_folder / "next-term", BRANCH)


@pytest.fixture(scope="module")
def platform():
    with Platform() as running:
        yield running


@pytest.fixture(scope="module")
def hub(hub_folder, course, platform):
    """A class hub whose login is the simulated platform's LTI 1.3 launch (as root, each student launched
    from the platform is a system user of their own, as in tests/test_hub.py)."""
    hub = Hub(hub_folder / "hub", password="workshop-pass", lti=platform.settings(), user_prefix=hub_user_prefix(),
              remove_users=True, local_repos=(course,))
    platform.register(tool_urls(hub.url))   # the administrator pastes the tool's addresses into the platform
    with hub:
        yield hub


def user_exists(hub: Hub, name: str) -> bool:
    try:
        hub.api("GET", f"/hub/api/users/{name}")
    except HubError as error:
        assert "HTTP 404" in str(error), error
        return False
    return True


def logged_in(session: requests.Session) -> bool:
    """Whether the session holds the hub's login cookie."""
    return any(cookie.name.endswith("jupyterhub-hub-login") for cookie in session.cookies)


@pytest.mark.hub
@pytest.mark.slow
def test_student_launched_from_the_platform_is_logged_in_under_their_lms_identity(hub, platform):
    ada = student("ada")
    assert not user_exists(hub, ada.sub)
    session = requests.Session()
    target = f"{hub.url}/hub/home"
    response, posted = follow(session, platform.launch(ada, target))
    urls = tool_urls(hub.url)
    # the platform's login initiation to the hub, then its signed id_token to the hub's redirect URI
    assert [action for action, _ in posted] == [urls["oidc_initiation_url"], urls["redirect_uri"]]
    assert {"iss", "login_hint", "target_link_uri", "client_id"} <= set(posted[0][1])
    assert set(posted[1][1]) == {"id_token", "state"}
    assert response.status_code == 200, response.text[:500]
    assert response.url == target
    assert logged_in(session)
    user = hub.api("GET", f"/hub/api/users/{ada.sub}")
    assert user["name"] == ada.sub and ada.sub in response.text   # the hub's home page shows whose it is
    # the cookie is a real login: the hub's home page opens again without the platform
    again = session.get(target, timeout=30, allow_redirects=False)
    assert again.status_code == 200 and ada.sub in again.text


@pytest.mark.hub
@pytest.mark.slow
@pytest.mark.browser
def test_launch_of_a_lab_link_pulls_the_course_and_opens_the_lab(hub, platform, course, chromium_browser):
    lin = student("lin")
    link = nbgitpuller_link(hub.url, course, BRANCH, LAB)
    assert "next" in link and launch_target(link) != link   # the course folder is next-term/
    external: list[str] = []
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    refuse_other_hosts(context, external)
    page = context.new_page()
    try:
        page.goto(platform.launch(lin, launch_target(link)), wait_until="load")
        folder = pull_folder(course)
        page.wait_for_url(re.compile(rf"/user/{lin.sub}/lab/tree/{folder}/{re.escape(LAB)}"), timeout=180_000)
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=120_000)
        pulled = hub.home(lin.sub) / folder / LAB
        assert pulled.is_file(), f"nbgitpuller did not pull the lab into {pulled.parent}"
        assert user_exists(hub, lin.sub)
        assert not external, f"requests to other hosts: {external}"
    finally:
        context.close()


def refused(hub: Hub, session: requests.Session, response, name: str, status: int, reason: str) -> None:
    """The launch was refused with ``status`` and ``reason``, and nobody was logged in as ``name``."""
    assert response.status_code == status, (response.status_code, response.text[:800])
    assert reason in response.text, response.text[:1500]
    assert not logged_in(session), [c.name for c in session.cookies]
    assert not user_exists(hub, name)


@pytest.mark.hub
@pytest.mark.slow
@pytest.mark.parametrize(("tamper", "status", "reason"), [
    ({"foreign_key": True}, 400, "Signature verification failed"),      # the JWKS's key id, another key
    ({"foreign_kid": True}, 400, "Unable to find a signing key"),        # a key the JWKS does not hold
    ({"aud": "another-tool"}, 401, "Audience doesn"),                    # signed for another tool
    ({"iss": "https://lms.example.org"}, 400, "Invalid issuer"),
    ({"nonce": "0" * 64}, 400, "OAuth nonce mismatch"),
    ({"deployment_id": "9:another-course"}, 403, "deployment &#39;9:another-course&#39;"),
    ({"drop": ["sub"]}, 400, "Unable to set the username with username_key sub"),
], ids=["bad-signature", "key-not-in-jwks", "wrong-audience", "wrong-issuer", "wrong-nonce", "other-deployment",
        "no-username-claim"])
def test_a_tampered_launch_is_refused(hub, platform, tamper, status, reason):
    eve = student(f"eve{abs(hash(json.dumps(tamper, sort_keys=True))) % 10**6}")
    session = requests.Session()
    response, posted = follow(session, platform.launch(eve, f"{hub.url}/hub/home", **tamper))
    assert len(posted) == 2 and posted[1][0] == tool_urls(hub.url)["redirect_uri"]   # it reached the hub
    refused(hub, session, response, eve.sub, status, reason)


@pytest.mark.hub
@pytest.mark.slow
def test_a_replayed_launch_is_refused(hub, platform):
    """An id_token seen once (a shared screen, a proxy's log) cannot log anyone in again: posted with the
    attacker's own fresh state, its nonce is not the one in the attacker's cookie."""
    bob = student("bob")
    victim = requests.Session()
    launch_url = platform.launch(bob, f"{hub.url}/hub/home")
    response, posted = follow(victim, launch_url)
    assert response.status_code == 200 and logged_in(victim)
    stolen = platform.launch_of(launch_url).id_tokens[-1]
    hub.api("DELETE", f"/hub/api/users/{bob.sub}")   # so that a second login would show
    attacker = requests.Session()
    # the attacker starts a login of their own (its state and nonce cookies), then posts the stolen token
    start = attacker.post(posted[0][0], data=posted[0][1], timeout=30, allow_redirects=False)
    assert start.status_code == 302
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    response = attacker.post(posted[1][0], data={"id_token": stolen, "state": state}, timeout=30)
    refused(hub, attacker, response, bob.sub, 400, "OAuth nonce mismatch")
    # and the stolen form as it was, without the victim's cookies
    response = requests.Session().post(posted[1][0], data=posted[1][1], timeout=30)
    assert response.status_code == 400 and "OAuth state missing from cookies" in response.text
    assert not user_exists(hub, bob.sub)


@pytest.mark.hub
@pytest.mark.slow
def test_the_hubs_login_form_cannot_claim_an_lms_identity(hub, platform):
    """ltiauthenticator names the student by what reaches it; JupyterHub's own login form reaches it too.
    A form posting the claims of a launch (no id_token) is refused."""
    mallory = student("mallory")
    session = requests.Session()
    assert session.get(f"{hub.url}/hub/login", timeout=30).status_code == 200   # its xsrf cookie
    fields = {"sub": mallory.sub, "username": mallory.sub, "password": hub.password,
              "https://purl.imsglobal.org/spec/lti/claim/deployment_id": platform.deployment_id,
              "_xsrf": session.cookies["_xsrf"]}
    # posted by a script (not a page's navigation): the hub answers with its error page, which gives the reason
    response = session.post(f"{hub.url}/hub/login", data=fields, headers={"Sec-Fetch-Mode": "cors"}, timeout=30)
    refused(hub, session, response, mallory.sub, 403, "students log in from the learning platform")
