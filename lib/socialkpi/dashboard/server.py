"""The Voila server for the dashboards: its command line, its environment (store, goals, log,
templates, a kernel profile) and the branded template with the landing page's words.
"""

from __future__ import annotations

import os
from pathlib import Path

from socialkpi.dashboard import access
from socialkpi.dashboard.views import KINDS
from socialkpi.files import write_atomically
from socialkpi.presentation.notebook import GOALS_DIR, REPO
from socialkpi.words.i18n import t


def voila_command(
    port: int = 8866,
    ip: str = "127.0.0.1",
    pool_size: int = 1,
    idle_timeout: int = 300,
    token: bool = False,
    clients: bool = False,
) -> list[str]:
    """The Voila server for the dashboards folder: branded offline template, sources stripped,
    tracebacks kept from viewers, preheated kernels, idle kernels culled. With ``token``,
    viewers must give the token in the server's ``$JUPYTER_TOKEN`` (login form or a
    ``?token=`` link); it stays out of the command line. With ``clients``, each viewer logs
    in with a client's token from ``$SOCIALKPI_CLIENTS`` and sees only its brands
    (``access``, ``login``)."""
    import sys

    return [
        sys.executable,
        "-m",
        "voila",
        str(REPO / "notebooks" / "dashboards"),
        "--no-browser",
        "--template=socialkpi",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--classic_tree=True",
        f"--preheat_kernel={pool_size > 0}",
        f"--pool_size={max(pool_size, 0)}",
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        *kernel_transport(),
        *(["--token"] if token else []),
        *(
            [
                "--Voila.identity_provider_class=socialkpi.dashboard.login.ClientLogin",
                f"--VoilaConfiguration.http_header_envs={access.HEADER}",
            ]
            if clients
            else []
        ),
    ]


# Voila keeps connection files in <temp>/voila_XXXXXXXX/kernel-<uuid>.json; an IPC kernel's
# sockets are named <that path without .json>-ipc-N, and a socket path holds at most 103 bytes
# on macOS (107 on Linux): 65 of them are Voila's and the kernel's
_SOCKET_PATH_MAX = 103
_VOILA_SOCKET_NAME = len("/voila_XXXXXXXX/kernel-") + 36 + len("-ipc-N")


def kernel_transport(temp: str | None = None) -> list[str]:
    """Kernels over Unix sockets where the temp folder leaves room for their paths: random TCP
    ports can collide with another process's kernel started at the same moment (ZMQ "Address
    already in use", a dead kernel). Elsewhere Jupyter's TCP ports on 127.0.0.1."""
    import tempfile

    temp = temp or tempfile.gettempdir()
    if os.name == "posix" and len(temp) + _VOILA_SOCKET_NAME <= _SOCKET_PATH_MAX:
        return ["--KernelManager.transport=ipc"]
    return []


def voila_env(
    db: str | Path,
    goals_dir: str | Path | None = None,
    log_file: str | Path | None = None,
    clients: str | Path | None = None,
) -> dict:
    """The server's environment (its kernels inherit it): our templates on the Jupyter path,
    the store, goals folder and log file for :func:`show`, the clients file (if any), reads
    shared between kernels (``store.cache``), and an IPython profile without history (kernels started side by side share one history
    database, and its "session not unique" errors land in a page)."""
    db = Path(db).resolve()
    jupyter_path = os.pathsep.join(
        filter(None, [str(voila_templates()), os.environ.get("JUPYTER_PATH")])
    )
    return {
        **os.environ,
        "JUPYTER_PATH": jupyter_path,
        "SOCIALKPI_DB": str(db),
        "SOCIALKPI_GOALS": str(Path(goals_dir or GOALS_DIR).resolve()),
        "SOCIALKPI_LOG": str(Path(log_file or db.with_name("dashboard.log")).resolve()),
        "IPYTHONDIR": str(kernel_profile()),
        "SOCIALKPI_SHARED_READS": "1",  # kernels share their reads on disk (store.cache)
        **({access.CLIENTS_ENV: str(Path(clients).resolve())} if clients else {}),
    }


def voila_templates() -> Path:
    """A Jupyter path holding our Voila template, with the landing page's words written from
    the message catalogue (``words.j2``: Jinja cannot read the catalogue itself)."""
    import json
    import shutil
    import tempfile

    from socialkpi.words.i18n import LANGS

    root = Path(tempfile.gettempdir()) / f"socialkpi-voila-{os.getuid()}"
    target = root / "voila" / "templates" / "socialkpi"
    shutil.copytree(
        REPO / "templates" / "voila" / "templates" / "socialkpi", target, dirs_exist_ok=True
    )
    words = {
        lang: {
            "title": t("dashboard.landing", lang),
            "lang_name": t("lang.name", lang),
            "noscript": t("dashboard.noscript", lang),
            "names": {f"{kind}.ipynb": t(f"page.{kind}.title", lang) for kind in KINDS},
            # the SOP's order: goals, audience, review, retrospective, then the rest
            "order": {f"{kind}.ipynb": i for i, kind in enumerate(KINDS)},
        }
        for lang in LANGS
    }
    write_atomically(
        target / "words.j2", "{% set words = " + json.dumps(words, ensure_ascii=False) + " %}\n"
    )
    return root


def kernel_profile() -> Path:
    """A private IPython directory whose kernels keep no history."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"socialkpi-ipython-{os.getuid()}"
    config = folder / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    text = "c.HistoryManager.enabled = False\n"
    if not config.exists() or config.read_text("utf-8") != text:
        write_atomically(config, text)
    return folder
