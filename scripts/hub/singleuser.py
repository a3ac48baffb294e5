"""What a student's single-user server leaves out, to keep it light (used by jupyterhub_config.py).

Example::

    c.Spawner.args += server_args()
"""

from __future__ import annotations


def server_args() -> list[str]:
    """Extra command-line options of every student's server (none yet).

    Examples
    --------
    >>> server_args()
    []
    """
    return []


def server_environment() -> dict[str, str]:
    """Extra environment variables of every student's server (none yet).

    Examples
    --------
    >>> server_environment()
    {}
    """
    return {}
