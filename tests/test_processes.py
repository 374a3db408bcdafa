"""Helper processes die with the process that started them."""

import os
import subprocess
import sys
import time

from socialkpi.outputs import processes


def test_orphaned_only_when_the_named_parent_is_gone():
    assert not processes.orphaned(None)  # not started by a coordinator
    assert not processes.orphaned(os.getppid())
    assert processes.orphaned(os.getppid() + 1_000_000)  # no such parent any more


def test_a_tied_command_dies_with_its_starter(tmp_path):
    pid_file = tmp_path / "child.pid"
    starter = (
        "import subprocess, sys, time\n"
        "from socialkpi.outputs import processes\n"
        f"child = subprocess.Popen(processes.tied([sys.executable, '-c', 'import time; time.sleep(60)']))\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", starter])
    try:
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.1)
        child = int(pid_file.read_text())
        parent.kill()
        parent.wait()
        for _ in range(50):  # the kernel delivers the death signal at once
            if not _alive(child):
                break
            time.sleep(0.1)
        assert not _alive(child)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"  # a zombie has died
    except FileNotFoundError:
        return False
