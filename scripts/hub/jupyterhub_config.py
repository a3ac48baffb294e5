# JupyterHub's configuration for a class on one machine (started by scripts/hub: `make hub`).
# The values come from the settings file scripts/hub writes ($THERAPYBRAIN_HUB_SETTINGS): ports, the
# workshop password, the admin service's token, the students' homes, the shared atlas store.
# Options: https://jupyterhub.readthedocs.io/en/stable/reference/api/ (JupyterHub 6.1).
import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader defines it)
s = json.loads(Path(os.environ["THERAPYBRAIN_HUB_SETTINGS"]).read_text())
sys.path.insert(0, s["root"])  # the project's scripts package (the hub runs in its state folder)
state = Path(s["state"])

# Where students connect; the hub's own API and the proxy's API on free local ports.
c.JupyterHub.bind_url = f"http://{s['ip']}:{s['port']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s['hub_port']}"
# The proxy (configurable-http-proxy 5.3.0 from npm) is started by scripts/hub apart from the hub, and the
# students' servers are left running when the hub stops: a restarted hub (an upgrade, a crash) finds both
# again (the servers' pids are in its database) and no student loses a kernel or a connection.
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_api_port']}"
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.auth_token = s["proxy_token"]
c.JupyterHub.cleanup_servers = False
c.JupyterHub.cleanup_proxy = False
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# A workshop login: any name, one shared password (JupyterHub's shared-password authenticator);
# or the learning platform's LTI 1.3 launch (scripts/hub/lti.py) when the settings name a platform.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s["password"]
c.Authenticator.allow_all = True
if s.get("lti"):
    from scripts.hub.lti import configure as configure_lti

    configure_lti(c, s)

# The tests' and benchmark's driver: a service whose token may create users, start their servers and use them.
c.JupyterHub.services = [{"name": s["admin_service"], "api_token": s["admin_token"]}]
c.JupyterHub.load_roles = [{
    "name": "class-admin", "services": [s["admin_service"]],
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
}]

# Each student: a server of the course's environment, a local process (scripts/hub/spawner.py). Run as root,
# the hub gives each student a system user of their own (home 0700 under homes/) and control groups with
# their memory, CPU and process limits; otherwise (a workshop) every server runs as the hub's user.
c.JupyterHub.spawner_class = "scripts.hub.spawner.ClassSpawner"
c.ClassSpawner.homes = s["homes"]
c.ClassSpawner.isolate = s["isolate"]
c.ClassSpawner.user_prefix = s["user_prefix"]
c.ClassSpawner.cgroups = s["cgroups"]
c.ClassSpawner.cgroup_group = s["cgroup_group"]
c.ClassSpawner.memory_limit_mb = s["memory_mb"]
c.ClassSpawner.cpu_limit_cores = s["cpu"]
c.ClassSpawner.cpu_guarantee_cores = s["cpu_guarantee"]
c.ClassSpawner.pids_limit = s["pids"]
c.Spawner.cmd = [s["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300  # a class arriving at once on 2 cores: servers start slowly
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    "PATH": s["path"],
    "THERAPYBRAIN_CACHE": s["store"],  # the prebuilt atlas store, shared, outside the homes
    "NBGITPULLER_APP": "lab",
    "THERAPYBRAIN_HUB": s["state"],  # marks the class's processes (scripts/hub: Hub.stop finds them by it)
}
# file:// repositories of this machine that the links pull (another user's): in each student's ~/.gitconfig
c.ClassSpawner.safe_directories = s["safe_directories"]
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
# A lighter server: what the students' servers leave out (scripts/hub/singleuser.py).
from scripts.hub.singleuser import server_args, server_environment  # noqa: E402

c.Spawner.args += server_args()
c.Spawner.environment.update(server_environment())
if s["allow_root"] and not s["isolate"]:
    c.Spawner.args.append("--ServerApp.allow_root=True")  # a workshop hub run as root (isolate=False)
