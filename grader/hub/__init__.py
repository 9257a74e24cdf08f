"""A cohort on JupyterHub: the hub's configuration (``jupyterhub_config.py``), the shared nbgrader and lab settings
for learners and trainers (``setup.write_config``), and the learner's environment without the trainer's package
(``learner_env``).

One JSON file says what a cohort's hub is (``hub.example.json``); ``python -m grader.hub.setup <that file>`` writes
the exchange and the configuration folders, and ``jupyterhub -f grader/hub/jupyterhub_config.py`` (with
``ACADEMY_HUB=<that file>``) runs the hub. README's "JupyterHub에서 반 운영하기" says how, on one server (The Littlest
JupyterHub) or on Kubernetes (Zero to JupyterHub).
"""
