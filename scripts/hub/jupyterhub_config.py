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
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [s["proxy"]]  # configurable-http-proxy 5.3.0 from npm
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # the students' servers stop with the hub

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

# Each student: a server of the course's environment, started as a local process, home under homes/.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = f"{s['homes']}/{{username}}"
c.Spawner.cmd = [s["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300  # a class arriving at once on 2 cores: servers start slowly
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    "PATH": s["path"],
    "THERAPYBRAIN_CACHE": s["store"],  # the prebuilt atlas store, shared, outside the homes
    "NBGITPULLER_APP": "lab",
}
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
# A lighter server: what the students' servers leave out (scripts/hub/singleuser.py).
from scripts.hub.singleuser import server_args, server_environment  # noqa: E402

c.Spawner.args += server_args()
c.Spawner.environment.update(server_environment())
if s["allow_root"]:
    c.Spawner.args.append("--ServerApp.allow_root=True")  # a lab PC or container where the hub runs as root


def _kernels_over_ipc(spawner):
    """Each student's kernels talk to their server over Unix sockets in the student's home, not TCP
    ports on 127.0.0.1 that every student's kernels pick at random."""
    ipc = Path(spawner.home_dir) / ".ipc"
    ipc.mkdir(parents=True, exist_ok=True)
    spawner.args = [*spawner.args, "--KernelManager.transport=ipc", f"--KernelManager.ip={ipc / 'kernel'}"]


c.Spawner.pre_spawn_hook = _kernels_over_ipc
