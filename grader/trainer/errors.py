"""The one error the trainer's commands raise: a Korean message saying what is wrong and what to do."""


class TrainerError(Exception):
    """Bad input or a state the command cannot work from; nothing has been changed when it is raised."""
