"""The trainer's loop over one cohort: ``python -m grader cohort|roster|...`` (each command a small module).

A cohort is an nbgrader course folder of its own (``grader/cohorts/<name>/`` unless ``--folder`` says otherwise):
its seed's data, its copies of the lessons, its gradebook, release, submitted, autograded and feedback folders, so
stock nbgrader commands and formgrader work in it as in the course itself.
"""
