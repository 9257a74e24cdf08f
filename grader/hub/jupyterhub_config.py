"""JupyterHub 5 for one cohort: ``ACADEMY_HUB=/srv/academy/hub.json jupyterhub -f grader/hub/jupyterhub_config.py``.

- Log-in with the server's OS accounts (PAM): nbgrader names every submission by the OS user who made it, so each
  learner and trainer is a real user of the machine (a shared account would submit everyone under one name).
- Each user's server runs as that user (LocalProcessSpawner). A learner's runs the learner's environment (no
  ``grader``: ``python -m grader.hub.learner_env``), a trainer's the full project (with the formgrader).
- Groups: ``nbgrader-<course_id>`` (learners) and ``formgrade-<course_id>`` (trainers and graders), the names
  nbgrader's JupyterHub support looks for.
- The formgrader opens in its own browser tab (``/user/<trainer>/formgrader``): JupyterHub 4.1 and later forbid the
  iframe JupyterLab's formgrader panel uses (nbgrader #1870). The hub keeps that protection on.
"""

import os
from pathlib import Path

from grader.hub.setup import read_settings, role_dirs

c = get_config()  # noqa: F821 (JupyterHub provides it)
settings = read_settings(Path(os.environ.get("ACADEMY_HUB", "/srv/academy/hub.json")))
course = settings["course_id"]
trainers, learners = list(settings["trainers"]), list(settings["learners"])
state = Path(settings["state_dir"])

c.JupyterHub.ip = settings.get("ip", "0.0.0.0")
c.JupyterHub.port = int(settings.get("port", 8000))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(settings.get("hub_port", 8081))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(settings.get('proxy_api_port', 8001))}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(trainers + learners)
c.Authenticator.admin_users = set(settings.get("admins", []))
c.JupyterHub.load_groups = {f"formgrade-{course}": trainers, f"nbgrader-{course}": learners}
c.JupyterHub.load_roles = [
    {"name": "server", "scopes": ["inherit"]},  # nbgrader's course list asks the hub which courses a user is in
]
if settings.get("services"):  # e.g. the test's admin token, or a shared formgrader service for many graders
    c.JupyterHub.services = [{k: v for k, v in s.items() if k != "admin"} for s in settings["services"]]
    c.JupyterHub.load_roles.append({"name": "admin", "services": [s["name"] for s in settings["services"]
                                                                   if s.get("admin")]})

c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def _choose_environment(spawner):
    """A trainer's server runs the full project and the formgrader; a learner's, the learner's environment."""
    role = "trainer" if spawner.user.name in trainers else "learner"
    prefix = Path(settings["trainer_env"] if role == "trainer" else settings["learner_env"])
    spawner.cmd = [str(prefix / "bin" / "jupyterhub-singleuser")]
    if role == "trainer":  # the formgrader works only on a course inside the server's folder
        spawner.notebook_dir = settings.get("trainer_root", str(Path(settings["course_root"]).parents[1]))
    spawner.environment.update({
        "JUPYTER_CONFIG_PATH": os.pathsep.join(role_dirs(settings, role)),
        "PATH": f"{prefix / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "ACADEMY_ROLE": role,
    })


c.Spawner.pre_spawn_hook = _choose_environment
