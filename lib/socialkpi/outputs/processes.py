"""Helper processes that die with the process that started them.

``socialkpi report`` runs brands in pool workers, which start Jupyter kernels and, for
``--pdf``, Chromium. If the coordinator is killed (even with ``kill -9``), every one of them
must go too: none may publish a bundle for a run nobody is watching, and none may linger.

- Pool workers and the progress queue's manager call :func:`die_with` as their initializer:
  on Linux the kernel sends them SIGKILL when the coordinator dies (``PR_SET_PDEATHSIG``);
  elsewhere a watchdog thread notices within a second.
- Kernels are started by jupyter_client with ``JPY_PARENT_PID``, so ipykernel's own parent
  poller stops them within a second of their worker's death.
- Chromium is started through :func:`tied`, which asks for the same death signal.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Make this process die when process ``parent`` (its parent) dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:  # pragma: no cover - exercised on macOS only
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the death signal was asked for
        os._exit(1)


def _watch(parent: int) -> None:  # pragma: no cover - macOS fallback
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def orphaned(parent: int | None) -> bool:
    """True if this process was started by ``parent`` and ``parent`` is gone."""
    return parent is not None and os.getppid() != parent


def tied(command: list[str]) -> list[str]:
    """``command`` prefixed so that it dies with this process (util-linux ``setpriv``), or
    unchanged where that is not available."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "KILL", *command] if setpriv else command
