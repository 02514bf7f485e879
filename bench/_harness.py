"""What bench/load.py and the fault scripts under bench/faults/ share: processes they start and always stop.

* a private PostgreSQL cluster (initdb in a temporary directory, run as the ``postgres`` OS user, listening
  on 127.0.0.1 only, on its own port), and a private Redis (its own port, nothing saved to disk);
* gunicorn (``config.wsgi``) and a Celery worker (``--pool solo``), each in its own process group;
* a tiny SMTP sink on loopback that records each message the mail transport hands over;
* the machine line and the RESULTS.md section writer.

Everything listens on 127.0.0.1 only and every wait is bounded. The shared PostgreSQL (5432) and Redis (6379)
are never touched here except to create a benchmark's own database.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import os
import platform
import pwd
import re
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
START_SECONDS = 60
STOP_SECONDS = 20


# --- Small things ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def wait_for(check: Callable[[], bool], seconds: float, what: str, interval: float = 0.2) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(interval)
    raise RuntimeError(f"{what} not ready within {seconds:.0f} s")


def http_request(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, "Connection": "close", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(pct * 10) - 1]


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    return (f"nproc {cpus} ({model or 'unknown CPU'}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


class CpuClock:
    """CPU seconds spent between ``start()`` and ``stop()``: the whole machine (/proc/stat), gunicorn (its master
    and workers, by process group), PostgreSQL (processes of the ``postgres`` user) and children that have exited
    (Locust, run to completion by subprocess.run). Linux only; on other systems every figure is 0."""

    def __init__(self, gunicorn_pgid: int | None = None) -> None:
        self.pgid = gunicorn_pgid
        self.ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _snapshot(self) -> tuple[dict[str, float], dict[int, tuple[str, float]]]:
        import resource

        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        totals = {"machine": 0.0, "children": children.ru_utime + children.ru_stime}
        processes: dict[int, tuple[str, float]] = {}
        stat = Path("/proc/stat")
        if not stat.exists():
            return totals, processes
        fields = [int(x) for x in stat.read_text().splitlines()[0].split()[1:]]
        totals["machine"] = (sum(fields[:8]) - fields[3] - fields[4]) / self.ticks  # all but idle and iowait
        postgres_uid = pwd.getpwnam("postgres").pw_uid if _has_user("postgres") else None
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                parts = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                uid = proc.stat().st_uid
            except (OSError, IndexError):
                continue
            # utime, stime, and cutime, cstime: the time of children that ended and were reaped, such as the
            # PostgreSQL backends of connections that CONN_MAX_AGE closed during the phase (in the postmaster's).
            seconds = sum(int(x) for x in parts[11:15]) / self.ticks
            if self.pgid is not None and int(parts[2]) == self.pgid:
                processes[int(proc.name)] = ("gunicorn", seconds)
            elif uid == postgres_uid:
                processes[int(proc.name)] = ("postgres", seconds)
        return totals, processes

    def start(self) -> None:
        self._started = self._snapshot()

    def stop(self) -> dict[str, float]:
        """Seconds per figure. A process that ended during the phase counts through its parent's children's
        time (cutime); one that started during it counts in full."""
        (totals0, procs0), (totals1, procs1) = self._started, self._snapshot()
        spent = {k: totals1[k] - totals0[k] for k in totals1} | {"gunicorn": 0.0, "postgres": 0.0}
        for pid, (kind, seconds) in procs1.items():
            before = procs0.get(pid)
            spent[kind] += seconds - (before[1] if before and before[0] == kind else 0.0)
        return spent


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def run_date() -> str:
    """The date and time the run is written at, in this machine's zone (the line each RESULTS.md section opens with)."""
    import datetime as dt

    return f"{dt.datetime.now(dt.UTC).astimezone():%Y-%m-%d %H:%M %Z}"


def report_checks(section: str, setting: str, figures: list[str], checks: list[tuple[str, bool]],
                  write: bool = True) -> bool:
    """Print (and, with ``write``, put in bench/RESULTS.md under ``section``) a fault script's figures and its
    checks, each marked ok or FAILED, then PASS or FAIL; True when every check passed."""
    ok = all(passed for _, passed in checks)
    lines = [f"Date {run_date()}; machine: {machine()}.", setting, "", *figures, "",
             *[f"- [{'ok' if passed else 'FAILED'}] {label}" for label, passed in checks], "",
             f"**{'PASS' if ok else 'FAIL'}**"]
    print("\n".join(lines))
    if write:
        write_results(section, lines)
    return ok


def write_results(section: str, lines: list[str]) -> None:
    """Replace (or add) the section ``## <section>`` of bench/RESULTS.md with ``lines``."""
    header = "# Benchmark and fault results\n\nWritten by the scripts themselves; each section is replaced on its next run.\n"
    text = RESULTS.read_text() if RESULTS.exists() else header
    block = f"## {section}\n\n" + "\n".join(lines).rstrip() + "\n"
    pattern = re.compile(rf"^## {re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: block + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    RESULTS.write_text(text.rstrip() + "\n")


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production-like settings on loopback: DEBUG off, a secret, plain HTTP (no TLS on 127.0.0.1)."""
    return {
        "DEBUG": "false", "SECRET_KEY": "bench-only-not-a-secret", "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "alliance-bench-static"),
        **extra,
    }


def apply_env(env: dict[str, str]) -> None:
    for key, value in env.items():
        os.environ[key] = value


def collectstatic() -> None:
    """DEBUG off serves hashed static names (the manifest): pages fail without it.

    When a stylesheet under static/ references a file that is not there (found on 25 Nov 2026: the vendored
    govuk-frontend.min.css points at assets/images/govuk-crest.svg, which is not vendored, so a plain
    ``collectstatic`` with DEBUG off fails), an empty placeholder from a scratch folder stands in, so that the
    benchmark measures the application rather than stopping; the script says so."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-static-extra-"))
    missing = []
    for css in (PROJECT_ROOT / "static").rglob("*.css"):
        for ref in re.findall(r"url\(['\"]?/static/([^'\")?#]+)", css.read_text(errors="replace")):
            if not (PROJECT_ROOT / "static" / ref).exists():
                missing.append(ref)
                (scratch / ref).parent.mkdir(parents=True, exist_ok=True)
                (scratch / ref).write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    if missing:
        print(f"note: static/ lacks {', '.join(sorted(set(missing)))} (referenced by a stylesheet): "
              "a placeholder stands in for collectstatic", flush=True)
    code = ("import django; from django.conf import settings; django.setup(); "
            f"settings.STATICFILES_DIRS.append({str(scratch)!r}); "
            "from django.core.management import call_command; "
            "call_command('collectstatic', interactive=False, verbosity=0)")
    try:
        subprocess.run([str(VENV_BIN / "python"), "-c", code], cwd=PROJECT_ROOT, check=True,  # noqa: S603
                       timeout=300)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- Processes ------------------------------------------------------------------------------------------


class Process:
    """A child in its own process group, logging to a temporary file; stopped with SIGTERM then SIGKILL."""

    def __init__(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - fixed command lines, no shell
            command, cwd=PROJECT_ROOT, env=os.environ | (env or {}), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no clean-up, as when a machine loses a process."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)

    def stop(self, keep_log: bool = False) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()
        try:  # the group may hold children the leader left behind
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.log.close()
        if not keep_log:
            Path(self.log.name).unlink(missing_ok=True)


class Gunicorn(Process):
    def __init__(self, env: dict[str, str], workers: int = 4, threads: int = 1, timeout: int = 30) -> None:
        self.port = free_port()
        command = [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{self.port}",
                   "--workers", str(workers), "--timeout", str(timeout), "--graceful-timeout", "5"]
        if threads > 1:
            command += ["--threads", str(threads), "--worker-class", "gthread"]
        super().__init__("gunicorn", command, env)

    def wait_healthy(self, seconds: float = START_SECONDS) -> float:
        def healthy() -> bool:
            if not self.alive():
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                return http_request(self.port, "GET", "/healthz", timeout=2)[0] == 200
            except OSError:
                return False

        return wait_for(healthy, seconds, "gunicorn /healthz")


class CeleryWorker(Process):
    def __init__(self, env: dict[str, str], name: str = "worker") -> None:
        command = [str(VENV_BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@bench"]
        super().__init__(name, command, env)

    def wait_ready(self, seconds: float = START_SECONDS) -> float:
        def ready() -> bool:
            if not self.alive():
                raise RuntimeError(f"celery worker exited with {self.process.returncode}:\n{self.log_tail()}")
            return " ready." in self.log_text()

        return wait_for(ready, seconds, "celery worker")


class PrivateRedis:
    """redis-server on 127.0.0.1:<port>, nothing persisted; started, stopped and started again at will."""

    def __init__(self, port: int = 6391) -> None:
        if port_in_use(port):
            raise SystemExit(f"Port {port} is already in use: not starting a private Redis there")
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="bench-redis-"))
        self.pidfile = self.dir / "redis.pid"
        self.url = f"redis://{HOST}:{port}/0"

    def start(self) -> None:
        subprocess.run(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", HOST,
             "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(self.pidfile),
             "--logfile", str(self.dir / "redis.log"), "--dir", str(self.dir)],
            check=True, timeout=STOP_SECONDS,
        )
        wait_for(lambda: port_in_use(self.port), 10, "private Redis")

    def stop(self) -> None:
        """SIGTERM to our own redis-server (by the pid in its pidfile), never by name."""
        if not self.pidfile.exists():
            return
        pid = int(self.pidfile.read_text().strip() or 0)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        wait_for(lambda: not port_in_use(self.port), STOP_SECONDS, "private Redis stop")
        self.pidfile.unlink(missing_ok=True)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1:<port>, run as the postgres OS user (initdb refuses root)."""

    def __init__(self, port: int = 5439) -> None:
        if port_in_use(port):
            raise SystemExit(f"Port {port} is already in use: not starting a private PostgreSQL there")
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgres.log"
        self.as_postgres = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if self.as_postgres:
            uid = pwd.getpwnam("postgres")
            os.chown(self.dir, uid.pw_uid, uid.pw_gid)

    def url(self, name: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def _ctl(self, *args: str, timeout: float = START_SECONDS) -> None:
        subprocess.run([*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args],  # noqa: S603
                       check=True, timeout=timeout, stdout=subprocess.DEVNULL)

    def init(self) -> None:
        subprocess.run(  # noqa: S603
            [*self.as_postgres, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, timeout=120, stdout=subprocess.DEVNULL,
        )
        options = (f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.dir} "
                   "-c max_connections=100 -c fsync=off")
        self._ctl("-o", options, "-l", str(self.logfile), "-w", "start")

    def restart(self) -> None:
        self._ctl("-m", "fast", "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "fast", "-w", "stop")

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def ensure_database(url: str, template_dump: Path | None = None, fresh: bool = False) -> bool:
    """Create the database of ``url`` if it is missing (a benchmark's own, on this machine), restoring
    ``template_dump`` into it when given; True if it was created. ``fresh`` drops it first, so that a run
    starts from the same data as the last one (what a run adds, such as open decisions, does not pile up)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if config["HOST"] not in ("127.0.0.1", "localhost") or not config["NAME"].startswith("alliance_bench"):
        raise SystemExit(f"Refusing to create {config['NAME']} on {config['HOST']}")
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"],
                             connect_timeout=10)
    admin.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with admin.cursor() as cursor:
            if fresh:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"])))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    finally:
        admin.close()
    if template_dump is not None:
        subprocess.run([str(PG_BIN / "pg_restore"), "--no-owner", "--no-acl", "--exit-on-error",  # noqa: S603
                        "-h", HOST, "-p", str(config["PORT"]), "-U", "postgres", "-d", config["NAME"],
                        str(template_dump)], check=True, timeout=600)
    return True


def seeded_dump(source_url: str = "postgres://postgres@127.0.0.1:5432/alliance_bench_load") -> Path:
    """A dump of a migrated and seeded database (bench/load.py's, made if missing): restoring it into a private
    cluster takes seconds where migrating from nothing takes minutes on a busy machine. Migrations added
    since are applied after the restore."""
    import dj_database_url

    ensure_database(source_url)
    env = django_env(source_url)
    subprocess.run([str(VENV_BIN / "python"), "-c", MIGRATE_AND_SEED], cwd=PROJECT_ROOT, env=os.environ | env,  # noqa: S603
                   check=True, timeout=1200)
    config = dj_database_url.parse(source_url)
    dump = Path(tempfile.mkdtemp(prefix="bench-dump-")) / "seeded.dump"  # one per run: scripts may run at once
    subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-h", HOST, "-p", str(config["PORT"]), "-U", "postgres",  # noqa: S603
                    "-f", str(dump), config["NAME"]], check=True, timeout=600)
    return dump


MIGRATE_AND_SEED = ("import django; django.setup(); from django.core.management import call_command; "
                    "call_command('migrate', interactive=False, verbosity=0); "
                    "call_command('seed_demo', force=True, verbosity=0)")


def setup_django_and_seed() -> None:
    """django.setup() with the environment already set, then migrate and seed_demo (in this process)."""
    import sys

    import django

    sys.path.insert(0, str(PROJECT_ROOT))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", force=True, verbosity=0)


TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key: benchmark databases only


def verified_session(person) -> str:
    """A signed-in session for ``person`` made in the session store, verified for two-factor when django-otp is
    installed (its device id in the session, as django_otp.login does after a correct code)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    backends = list(settings.AUTHENTICATION_BACKENDS)
    backend = backends[-1]  # the password backend (axes, first, only counts failures)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    if "django_otp.plugins.otp_totp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=person, name="bench-load",
                                                     defaults={"key": TOTP_KEY, "confirmed": True})
        # A person signing in would type django_otp.oath.TOTP(bytes.fromhex(TOTP_KEY)).token().
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


# --- SMTP sink ------------------------------------------------------------------------------------------


class SmtpSink:
    """A minimal SMTP server on 127.0.0.1: every message accepted (250 after DATA) is kept in ``messages``
    as (Subject, To). That 250 is the moment the mail transport has accepted the message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 30

            def handle(self) -> None:
                try:
                    self.converse()
                except OSError:  # the client was killed mid-conversation: nothing more to accept
                    return

            def converse(self) -> None:
                self.wfile.write(b"220 sink ESMTP\r\n")
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.wfile.write(b"250 sink\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        if not chunk:
                            return  # the client died in the middle of DATA: nothing accepted
                        # policy.default decodes RFC 2047 words and unfolds long headers.
                        message = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                        with sink.lock:
                            sink.messages.append((" ".join(str(message["Subject"]).split()), str(message["To"])))
                        self.wfile.write(b"250 accepted\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        self.wfile.write(b"250 ok\r\n")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- A private stack for the fault scripts ----------------------------------------------------------------


class PrivateStack:
    """A private PostgreSQL (5439) with the seeded demo restored into ``alliance_bench_fault``, and optionally a
    private Redis (6391); Django set up in this process with the same environment as the children get."""

    def __init__(self, redis: bool, pg_port: int = 5439, redis_port: int = 6391, **extra_env: str) -> None:
        self.pg_port, self.redis_port = pg_port, redis_port
        self.pg: PrivatePostgres | None = None
        self.redis: PrivateRedis | None = None
        self.children: list[Process] = []
        self.redis_wanted, self.extra_env = redis, extra_env
        self.env: dict[str, str] = {}

    def __enter__(self) -> PrivateStack:
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that __exit__ still cleans up
        self._previous_sigterm = previous
        try:
            print("Preparing the seeded template (shared PostgreSQL, database alliance_bench_load)…", flush=True)
            dump = seeded_dump()
            self.pg = PrivatePostgres(self.pg_port)
            self.pg.init()
            url = self.pg.url("alliance_bench_fault")
            try:
                ensure_database(url, template_dump=dump)
            finally:
                shutil.rmtree(dump.parent, ignore_errors=True)
            extra = dict(self.extra_env)
            if self.redis_wanted:
                self.redis = PrivateRedis(self.redis_port)
                self.redis.start()
                extra |= {"REDIS_URL": self.redis.url, "CELERY_BROKER_URL": self.redis.url}
            self.env = django_env(url, **extra)
            apply_env(self.env)
            print(f"Private PostgreSQL on {self.pg_port}" + (f" and Redis on {self.redis_port}" if self.redis else "") +
                  ": migrating and seeding…", flush=True)
            setup_django_and_seed()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start(self, child: Process) -> Process:
        self.children.append(child)
        return child

    def __exit__(self, *exc) -> None:
        for child in reversed(self.children):
            try:
                child.stop()
            except Exception as error:  # noqa: BLE001 - keep cleaning up
                print(f"stopping {child.name}: {error}")
        if self.redis is not None:
            self.redis.cleanup()
        if self.pg is not None:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
                pass
            self.pg.cleanup()
        signal.signal(signal.SIGTERM, getattr(self, "_previous_sigterm", signal.SIG_DFL))


# --- A simple load of board members for the fault scripts -------------------------------------------------


class BoardLoad:
    """``threads`` HTTP clients in a loop until stopped: API votes (token) on ``decisions`` by random
    representatives, and reads (the API decision, the Board page, What's due with a session). Every answer is
    kept as (started, seconds since the start, kind, status or "no answer", milliseconds)."""

    CHOICES = ("for", "against", "abstain")

    def __init__(self, port: int, decisions: list[int], tokens: dict[str, str], session: str,
                 threads: int = 8, timeout: float = 30) -> None:
        import random

        self.port, self.decisions, self.tokens, self.session = port, decisions, tokens, session
        self.timeout = timeout
        self.results: list[tuple[float, str, object, float, str]] = []
        self.acknowledged: list[tuple[int, str]] = []  # (decision, username) of each vote answered 200
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.rng = random.Random(7)  # noqa: S311 - load generation
        self.t0 = time.monotonic()
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(threads)]

    def start(self) -> None:
        self.t0 = time.monotonic()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.timeout + 5)

    def _loop(self, index: int) -> None:
        import json
        import random

        rng = random.Random(index)  # noqa: S311
        users = list(self.tokens)
        while not self.stopping.is_set():
            roll = rng.random()
            decision = rng.choice(self.decisions)
            username = rng.choice(users)
            if roll < 0.5:
                kind, method, path = "vote (API)", "POST", f"/api/governance/decisions/{decision}/vote/"
                body = json.dumps({"choice": rng.choice(self.CHOICES)}).encode()
                headers = {"Authorization": f"Token {self.tokens[username]}", "Content-Type": "application/json"}
            elif roll < 0.7:
                kind, method, path, body = "decision (API)", "GET", f"/api/governance/decisions/{decision}/", None
                headers = {"Authorization": f"Token {self.tokens[username]}"}
            else:
                kind, method, body = "page", "GET", None
                path = rng.choice(["/board/", "/due/", f"/board/decisions/{decision}/"])
                headers = {"Cookie": f"sessionid={self.session}"}
            started = time.monotonic()
            try:
                status, _ = http_request(self.port, method, path, body=body, headers=headers, timeout=self.timeout)
            except OSError as error:
                status = f"no answer ({type(error).__name__})"
            ms = (time.monotonic() - started) * 1000
            with self.lock:
                self.results.append((started - self.t0, kind, status, ms, path))
                if kind == "vote (API)" and status == 200:
                    self.acknowledged.append((decision, username))
            time.sleep(0.02)

    def in_window(self, start: float, end: float) -> list[tuple[float, str, object, float, str]]:
        with self.lock:
            return [r for r in self.results if start <= r[0] < end]


def is_error(status: object) -> bool:
    return not (isinstance(status, int) and status < 500)


def board_fixture(decisions: int, label: str) -> tuple[list[int], dict[str, str], str]:
    """Open decisions tabled by the Alliance Manager, each representative's token, and a verified session of
    the SRO (for the pages). Django must be set up."""
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from alliance import demo
    from alliance.models import Alliance, Person
    from governance.selectors import board as selectors
    from governance.services import board as services

    partners = ("fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty")
    reps = ("sro", *(f"{p}-rep" for p in partners))
    people = {p.username: p for p in Person.objects.filter(username__in=[*reps, "alliance-manager"])}
    alliance = Alliance.objects.get(slug=demo.ALLIANCE_SLUG)
    decision_type = selectors.decision_types(alliance.pk).get(code="key-person-appointment")
    ids = [services.decision_table(actor=people["alliance-manager"], alliance=alliance, decision_type=decision_type,
                                   title=f"{label} {i + 1}", description=f"Tabled by {label}.",
                                   closes_at=timezone.now() + dt.timedelta(days=1)).pk for i in range(decisions)]
    tokens = {u: Token.objects.get_or_create(user=people[u])[0].key for u in reps}
    return ids, tokens, verified_session(people["sro"])


def votes_consistent(decisions: list[int]) -> list[tuple[str, bool]]:
    """No partial writes: each current vote has history and equals its latest history row; an organisation that
    voted has no open 'Vote on …' obligation left (the vote and the obligation commit together)."""
    from django.contrib.contenttypes.models import ContentType

    from alliance.models import Obligation, ObligationKind, ObligationStatus
    from governance.models import Decision, Vote

    votes = list(Vote.objects.filter(decision_id__in=decisions))
    latest: dict[tuple[int, int], str] = {}
    for row in Vote.history.filter(decision_id__in=decisions).order_by("history_date", "history_id"):
        latest[(row.decision_id, row.organisation_id)] = row.choice
    voted = {(v.decision_id, v.organisation_id) for v in votes}
    open_asks = set(Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(Decision), subject_id__in=decisions,
        kind=ObligationKind.BOARD_VOTE, status=ObligationStatus.OPEN,
    ).values_list("subject_id", "responsible_organisation_id"))
    return [
        (f"{len(votes)} current votes, each with history equal to its latest history row",
         all(latest.get((v.decision_id, v.organisation_id)) == v.choice for v in votes)),
        ("no history row without its current vote", set(latest) == voted),
        ("no organisation that voted still has an open 'Vote on …' obligation", not (voted & open_asks)),
    ]


def due_reminder_keys() -> set[tuple]:
    """Every reminder whose day has come today, by the service's own rule (obligation, due date, offset)."""
    from alliance import rules, selectors
    from alliance.dates import local_today

    today = local_today()
    keys = set()
    for o in selectors.obligations_needing_reminders(today=today):
        offset = rules.reminder_offset_for(due_date=o.due_date, today=today)
        if offset is not None:
            keys.add((o.pk, o.due_date, offset))
    return keys


def expected_emails() -> Counter:
    """(subject, address) of every email the Reminder rows stand for, as the service writes them today."""
    from alliance import selectors, services
    from alliance.dates import local_today
    from alliance.models import Reminder

    rows = list(Reminder.objects.select_related("obligation"))
    recipients = selectors.reminder_recipients([r.obligation for r in rows])
    expected: Counter = Counter()
    for r in rows:
        subject = " ".join(f"Reminder: {services._reminder_text(r.obligation, local_today())}"[:200].split())
        for person in recipients.get(r.obligation_id, []):
            if person.email:
                expected[(subject, person.email)] += 1
    return expected
