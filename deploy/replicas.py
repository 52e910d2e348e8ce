#!/usr/bin/env python3
"""Serve app.py from N Streamlit replicas behind nginx, with sticky sessions.

    make serve-replicas                      # 2 replicas, http://localhost:8500
    make serve-replicas REPLICAS=4 PORT=9000
    .venv/bin/python deploy/replicas.py --replicas 3 --port 8500 [--no-restart]

Each replica is `streamlit run app.py` on a free port of 127.0.0.1 with CIS_REPLICA=r1..rN
(the footer shows "server rN"). nginx (config from deploy/nginx.conf.template, written to
the run directory together with its pid, logs and temp files) listens on --host:--port,
pins each browser to one replica with the `cis_replica` cookie, proxies the websocket and
skips a replica that is down. This launcher polls every replica's /_stcore/health, restarts
one that exited or stopped answering (unless --no-restart), and stops everything on
SIGINT/SIGTERM. deploy/README.md explains the layout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
FAIL_TIMEOUT = "5s"          # nginx: how long a failed replica is skipped before a retry


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} replicas: {message}", flush=True)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with _DIRECT.open(url, timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def find_nginx(explicit: str | None) -> str:
    for candidate in (explicit, os.environ.get("NGINX"), shutil.which("nginx"),
                      "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("replicas: nginx not found; run `sh scripts/ensure-nginx.sh` (installs Debian's "
             "package as root) or pass --nginx /path/to/nginx")


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the launcher dies without cleaning up (Linux only), so no
    replica or nginx outlives it. Children are started from the main thread only, since the
    signal follows the thread that forked."""
    os.setsid()  # Ctrl-C in a terminal reaches the launcher only; it stops children in order
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _resume(proc: subprocess.Popen) -> None:
    """SIGCONT, so that a stopped (SIGSTOP) process can act on the SIGTERM it was sent."""
    try:
        proc.send_signal(signal.SIGCONT)
    except OSError:
        pass


@dataclass
class Replica:
    name: str
    port: int
    log_path: Path
    proc: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0                 # consecutive failed health checks
    healthy: bool = False             # the last health check passed
    up: bool = False                  # passed one since this process started
    restarts: int = 0
    next_start: float = 0.0           # back-off after repeated crashes
    exit_logged: bool = False
    gave_up: bool = False

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_stcore/health"


class Launcher:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.run_dir = Path(args.run_dir).resolve()
        self.nginx_dir = self.run_dir / "nginx"
        self.log_dir = self.run_dir / "logs"
        self.state_file = self.run_dir / "replicas.json"
        self.nginx_bin = find_nginx(args.nginx)
        self.app = Path(args.app).resolve()
        self.stop = threading.Event()
        self.exit_code = 0
        self.nginx: subprocess.Popen | None = None
        # One cookie secret for all replicas: signed cookies from one stay valid on another.
        self.cookie_secret = (os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
                              or secrets.token_hex(32))
        self.replicas = [Replica(f"r{i}", free_port(), self.log_dir / f"r{i}.log")
                         for i in range(1, args.replicas + 1)]

    # ---------------------------------------------------------------- replicas

    def start_replica(self, r: Replica) -> None:
        env = {**os.environ, "CIS_REPLICA": r.name,
               "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.app),
               "--server.port", str(r.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
        out = open(r.log_path, "ab")
        out.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {r.name} on "
                  f"127.0.0.1:{r.port}\n".encode())
        out.flush()
        r.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                  stdout=out, stderr=subprocess.STDOUT,
                                  preexec_fn=_die_with_parent)
        out.close()
        r.started, r.failures, r.healthy, r.up, r.exit_logged = (time.monotonic(), 0, False,
                                                                 False, False)

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.replicas)
        while pending and not self.stop.is_set():
            for r in list(pending):
                if r.proc.poll() is not None:
                    raise SystemExit(f"replicas: {r.name} exited with code {r.proc.returncode} "
                                     f"while starting; see {r.log_path}")
                if http_ok(r.health_url, timeout=1):
                    r.healthy = r.up = True
                    pending.remove(r)
                    log(f"{r.name} up on 127.0.0.1:{r.port} (pid {r.proc.pid})")
            if time.monotonic() > deadline:
                raise SystemExit("replicas: not healthy within "
                                 f"{timeout:.0f} s: {', '.join(r.name for r in pending)}")
            self.stop.wait(0.3)

    # ---------------------------------------------------------------- nginx

    def nginx_conf(self) -> str:
        srv = lambda r, extra="": (f"        server 127.0.0.1:{r.port} max_fails=1 "  # noqa: E731
                                   f"fail_timeout={FAIL_TIMEOUT}{extra};")
        blocks = ["    upstream cis_all {", "        zone cis_all 64k;"]
        blocks += [srv(r) for r in self.replicas] + ["    }"]
        for r in self.replicas:
            blocks += [f"    upstream cis_{r.name} {{", f"        zone cis_{r.name} 64k;", srv(r)]
            blocks += [srv(o, " backup") for o in self.replicas if o is not r] + ["    }"]
        values = {
            "RUN_DIR": str(self.nginx_dir),
            "LISTEN": f"{self.args.host}:{self.args.port}",
            "UPSTREAMS": "\n".join(blocks),
            "BACKEND_MAP": "\n".join(f"        {r.name} cis_{r.name};" for r in self.replicas),
            "SERVED_BY_MAP": "\n".join(
                f"        ~(^|\\s)127\\.0\\.0\\.1:{r.port}$ {r.name};" for r in self.replicas),
            "UNCHANGED_MAP": "\n".join(f'        "{r.name}:{r.name}" "";' for r in self.replicas),
        }

        def fill(m: re.Match) -> str:
            return values[m.group(1)]  # a KeyError here is a template typo

        return re.sub(r"\{\{([A-Z_]+)\}\}", fill, TEMPLATE.read_text(encoding="utf-8"))

    def start_nginx(self) -> None:
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(self.nginx_conf(), encoding="utf-8")
        base = [self.nginx_bin, "-p", str(self.nginx_dir), "-c", str(conf),
                "-e", str(self.nginx_dir / "error.log")]
        check = subprocess.run(base + ["-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit(f"replicas: nginx rejected {conf}:\n{check.stderr.strip()}")
        self.nginx = subprocess.Popen(base, cwd=self.nginx_dir, stdin=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent)
        probe = "127.0.0.1" if self.args.host in ("0.0.0.0", "::", "[::]") else self.args.host
        deadline = time.monotonic() + 15
        while not http_ok(f"http://{probe}:{self.args.port}/healthz"):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                tail = (self.nginx_dir / "error.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"replicas: nginx did not start:\n{tail}")
            time.sleep(0.2)

    # ---------------------------------------------------------------- state

    def write_state(self) -> None:
        """replicas.json in the run dir: who runs where (read by tests and operators)."""
        state = {"url": self.url, "launcher_pid": os.getpid(),
                 "nginx_pid": self.nginx.pid if self.nginx else None,
                 "replicas": {r.name: {"port": r.port, "pid": r.proc.pid if r.proc else None,
                                       "restarts": r.restarts, "log": str(r.log_path)}
                              for r in self.replicas}}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        tmp.replace(self.state_file)

    @property
    def url(self) -> str:
        host = self.args.host
        shown = "localhost" if host in ("0.0.0.0", "::", "[::]") else host
        return f"http://{shown}:{self.args.port}"

    def check_not_running(self) -> None:
        pid_file = self.nginx_dir / "nginx.pid"
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return
        raise SystemExit(f"replicas: an nginx from {self.run_dir} is already running (pid {pid});"
                         " stop it or pass another --run-dir")

    # ---------------------------------------------------------------- supervision

    def supervise(self) -> None:
        """Every second: notice exits; every --health-interval: probe each replica's health."""
        next_probe = time.monotonic() + self.args.health_interval
        while not self.stop.wait(1.0):
            if self.nginx.poll() is not None:
                log(f"nginx exited with code {self.nginx.returncode}; stopping "
                    f"(see {self.nginx_dir / 'error.log'})")
                self.exit_code = 1
                return
            now = time.monotonic()
            probe = now >= next_probe
            if probe:
                next_probe = now + self.args.health_interval
            for r in self.replicas:
                self.check_replica(r, probe, now)

    def check_replica(self, r: Replica, probe: bool, now: float) -> None:
        if r.gave_up:
            return
        if r.proc.poll() is not None:
            if not r.exit_logged:
                r.exit_logged = True
                log(f"{r.name} (pid {r.proc.pid}) stopped with code {r.proc.returncode}"
                    + ("" if self.args.restart else "; not restarting (--no-restart)"))
            if not self.args.restart:
                r.gave_up = True
                return
            self.restart(r, now)
            return
        if not probe:
            return
        if http_ok(r.health_url):
            if not r.healthy:
                log(f"{r.name} healthy on 127.0.0.1:{r.port} (pid {r.proc.pid})")
            r.healthy, r.up, r.failures = True, True, 0
            return
        r.failures += 1
        if not r.up and now - r.started < self.args.startup_timeout:
            return  # still starting
        if r.failures == 1 or r.failures == self.args.unhealthy_after:
            log(f"{r.name} (pid {r.proc.pid}) failed its health check "
                f"({r.failures} in a row)")
        r.healthy = False
        if r.failures >= self.args.unhealthy_after and self.args.restart:
            log(f"{r.name} (pid {r.proc.pid}) unresponsive; stopping it to restart")
            self.kill(r)
            self.restart(r, now)

    def restart(self, r: Replica, now: float) -> None:
        if now < r.next_start:
            return
        # Back off when a replica keeps crashing soon after starting: 1, 2, 4 ... 30 s.
        quick = now - r.started < 60
        delay = min(30.0, 2.0 ** min(r.restarts, 5)) if quick else 1.0
        r.restarts += 1
        log(f"restarting {r.name} on 127.0.0.1:{r.port} (restart #{r.restarts})")
        self.start_replica(r)
        r.next_start = time.monotonic() + delay
        self.write_state()

    def kill(self, r: Replica) -> None:
        if r.proc and r.proc.poll() is None:
            r.proc.terminate()
            _resume(r.proc)
            try:
                r.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                r.proc.kill()
                r.proc.wait()

    def shutdown(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()  # fast shutdown: open websockets are closed, not drained
        for r in self.replicas:
            if r.proc and r.proc.poll() is None:
                r.proc.terminate()
                _resume(r.proc)
        deadline = time.monotonic() + 10
        for p in [self.nginx] + [r.proc for r in self.replicas]:
            if p is None:
                continue
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.state_file.unlink(missing_ok=True)
        log("stopped")

    def run(self) -> int:
        if not port_is_free(self.args.host, self.args.port):
            raise SystemExit(f"replicas: port {self.args.port} on {self.args.host} is in use; "
                             "pass another (make serve-replicas PORT=...)")
        for d in (self.nginx_dir / "tmp", self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.check_not_running()
        try:
            for r in self.replicas:
                self.start_replica(r)
            log(f"starting {len(self.replicas)} replicas of {self.app.name}; "
                f"logs in {self.log_dir}")
            self.wait_healthy(self.args.startup_timeout)
            if self.stop.is_set():
                return 0
            self.start_nginx()
            self.write_state()
            log(f"nginx on {self.args.host}:{self.args.port} "
                f"(config {self.nginx_dir / 'nginx.conf'}, logs {self.nginx_dir})")
            log("health checks every {:g} s; {}".format(
                self.args.health_interval,
                "a stopped replica is restarted" if self.args.restart else "no restarts"))
            print(f"Serving {self.url} ({len(self.replicas)} replicas). Ctrl-C stops.", flush=True)
            self.supervise()
            return self.exit_code
        finally:
            self.shutdown()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", 2)),
                   help="number of Streamlit processes (default 2)")
    p.add_argument("--port", type=int, default=8500, help="nginx port (default 8500)")
    p.add_argument("--host", default="0.0.0.0",
                   help="nginx address (default 0.0.0.0; 127.0.0.1 for this machine only)")
    p.add_argument("--run-dir", default=str(ROOT / ".run"),
                   help="nginx config, pid, logs and temp files, replica logs (default .run/)")
    p.add_argument("--app", default=str(ROOT / "app.py"))
    p.add_argument("--nginx", help="nginx binary (default: PATH, then /usr/sbin/nginx)")
    p.add_argument("--no-restart", dest="restart", action="store_false",
                   help="leave a replica that stopped down (tests of failover)")
    p.add_argument("--health-interval", type=float, default=3.0,
                   help="seconds between health checks of each replica (default 3)")
    p.add_argument("--unhealthy-after", type=int, default=3,
                   help="failed checks in a row before a live but unresponsive replica is "
                        "restarted (default 3)")
    p.add_argument("--startup-timeout", type=float, default=120.0,
                   help="seconds a replica may take to become healthy (default 120)")
    args = p.parse_args(argv)
    if args.replicas < 1:
        p.error("--replicas must be at least 1")

    launcher = Launcher(args)

    def on_signal(signum, _frame):
        log(f"{signal.Signals(signum).name}: stopping nginx and replicas")
        launcher.stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    return launcher.run()


if __name__ == "__main__":
    sys.exit(main())
