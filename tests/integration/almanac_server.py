"""Starts and stops a real almanacd process for the integration tests."""

import json
import os
import resource
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ALMANACD = os.environ.get("ALMANACD", str(REPO / "build" / "server" / "almanacd"))


class AlmanacServer:
    """One almanacd with its own data directory, listening on a free loopback port."""

    def __init__(self, workdir: Path, *extra_args: str):
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.warehouse = self.workdir / "warehouse"
        self.extra_args = list(extra_args)
        self.process = None
        self.port = None
        self.grpc_port = None
        self.log_path = self.workdir / "almanacd.log"
        self.max_open_files = None  # If set, the RLIMIT_NOFILE the server starts with.

    def start(self, timeout=20.0):
        ready = self.workdir / "ready.json"
        if ready.exists():
            ready.unlink()
        args = [
            ALMANACD,
            "--data_dir", str(self.data_dir),
            "--warehouse", f"file:{self.warehouse}",
            "--thrift_port", str(self.port or 0),
            "--grpc_port", str(self.grpc_port or 0),
            "--ready_file", str(ready),
            *self.extra_args,
        ]
        self._log = open(self.log_path, "ab")
        limit = self.max_open_files
        preexec = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))) \
            if limit else None
        self.process = subprocess.Popen(args, stdout=self._log, stderr=self._log,
                                        preexec_fn=preexec)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"almanacd exited with {self.process.returncode}:\n{self.log()}")
            if ready.exists():
                ports = json.loads(ready.read_text())
                self.port, self.grpc_port = ports["thrift_port"], ports["grpc_port"]
                return self
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"almanacd did not become ready:\n{self.log()}")

    def stop(self, timeout=20.0):
        """SIGTERM, then wait: the server drains and checkpoints before exiting."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("almanacd did not stop on SIGTERM")
        self._close_log()
        return self.process.returncode if self.process else None

    def kill(self):
        """SIGKILL: no draining, no checkpoint."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_log()

    def restart(self):
        self.stop()
        return self.start()

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def status_kb(self, key):
        """A size from /proc/<pid>/status in KiB, e.g. "VmRSS" or "VmHWM" (peak RSS)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        raise KeyError(key)

    def open_fds(self):
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def raw_connection(self, timeout=5.0):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def _close_log(self):
        log = getattr(self, "_log", None)
        if log and not log.closed:
            log.close()
