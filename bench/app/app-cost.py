#!/usr/bin/env python3
# app-cost.py — idle cost, busy cost and start-up of the real atlas-operator binary.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints figures; it is not a test. See docs/performance.md.
#
#   bench/app/app-cost.py idle    [--minutes 10] [--settle 15] [--hidden-minutes 0]
#   bench/app/app-cost.py baseline [--minutes 10]          # bare libadwaita window
#   bench/app/app-cost.py busy    [--minutes 2]  [--settle 5]
#   bench/app/app-cost.py startup [--repeat 3] [--scenario test|scale|demo]
#   bench/app/app-cost.py wall    [--screens 3] [--minutes 3] [--scenario demo] [--desktop] [--no-browser]
#
# Everything runs against a fresh `atlas-backend` on a free loopback port, behind a
# counting HTTP proxy (this script, one thread per connection), with the app on its own
# Xvfb (display picked by Xvfb itself via -displayfd).  Everything started is killed on
# exit, also on Ctrl-C or an error.
#
# Wakeups: /proc/PID/task/*/status voluntary_ctxt_switches + nonvoluntary_ctxt_switches,
# summed over all threads (the main thread alone is printed too).  CPU: utime + stime
# from /proc/PID/stat (all threads), as a share of one core.

import argparse
import http.client
import http.server
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLK_TCK = os.sysconf("SC_CLK_TCK")
children = []


def die(msg):
    print("app-cost: " + msg, file=sys.stderr)
    sys.exit(1)


def cleanup(*_):
    for p in reversed(children):
        if p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout=5)
            except Exception:
                p.kill()
    children.clear()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- counting proxy

class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.log = []            # (monotonic time the request came in, method, path, query, status,
                                 #  bytes to the app); logged when answered
        self.connections = []    # monotonic time of each TCP connection the app opened

    def add(self, t_in, *entry):
        with self.lock:
            self.log.append((t_in,) + entry)

    def since(self, t0, t1=None):
        with self.lock:
            return [e for e in self.log if e[0] >= t0 and (t1 is None or e[0] < t1)]


# Longer than any held request (Prefer: wait=55 + the server's slack): a shorter read
# timeout cut every held discovery request at the proxy, and the app then saw no answer
# until its own 70 s deadline.
UPSTREAM_TIMEOUT = 120


def make_proxy(upstream_port, counter):
    upstream = threading.local()       # one upstream connection per client connection thread

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            with counter.lock:
                counter.connections.append(time.monotonic())

        def _forward(self):
            t_in = time.monotonic()   # a held request counts when it was sent, not answered
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            conn = upstream
            if not hasattr(conn, "c"):
                conn.c = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=UPSTREAM_TIMEOUT)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "connection", "keep-alive")}
            try:
                conn.c.request(self.command, self.path, body=body, headers=headers)
                resp = conn.c.getresponse()
            except Exception:
                conn.c.close()
                conn.c = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=UPSTREAM_TIMEOUT)
                conn.c.request(self.command, self.path, body=body, headers=headers)
                resp = conn.c.getresponse()
            data = resp.read()
            head = "HTTP/1.1 %d %s\r\n" % (resp.status, resp.reason)
            self.send_response_only(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                    continue
                self.send_header(k, v)
                head += "%s: %s\r\n" % (k, v)
            if resp.status != 304 and resp.status >= 200:
                self.send_header("Content-Length", str(len(data)))
                head += "Content-Length: %d\r\n" % len(data)
            self.end_headers()
            if data:
                self.wfile.write(data)
            self.wfile.flush()
            path, _, query = self.path.partition("?")
            counter.add(t_in, self.command, path, query, resp.status, len(head) + 2 + len(data))

        do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = _forward

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
                super().handle_error(request, client_address)

    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


# ---------------------------------------------------------------- backend

class Backend:
    def __init__(self, exe, scenario):
        self.port = free_port()
        self.proc = subprocess.Popen([exe, "--listen", "127.0.0.1:%d" % self.port, "--scenario", scenario,
                                      "--test-control", "--print-tokens"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        children.append(self.proc)
        self.tokens = {}
        got = threading.Event()

        def read_tokens():            # a thread: select() on a buffered pipe would miss lines
            for line in self.proc.stdout:
                role, _, tok = line.strip().partition(" ")
                self.tokens[role] = tok
                if {"operator", "partner"} <= set(self.tokens):
                    got.set()
            got.set()

        threading.Thread(target=read_tokens, daemon=True).start()
        if not got.wait(60) or not {"operator", "partner"} <= set(self.tokens):
            die("backend gave no tokens within 60 s: " + (self.proc.stderr.read() if self.proc.poll() is not None
                                                            else "still seeding?"))
        self.base = "http://127.0.0.1:%d/api/v1" % self.port

    def call(self, method, path, body=None, role=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if role:
            headers["Authorization"] = "Bearer " + self.tokens[role]
        c.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None,
                  headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status >= 300:
            die("%s %s -> %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data) if data else None

    def now(self):
        return self.call("GET", "/_test/clock")["data"]["unix"]

    def complete_all_live_runs(self):
        """Patch every queued/running run the operator and partner can see to completed."""
        n = 0
        now = ts(self.now())
        for role, ws in (("operator", 1), ("partner", 2)):
            page = self.call("GET", "/workspaces/%d/operations?tab=active&per_page=100" % ws, role=role)
            for run in page["data"]:
                self.call("PATCH", "/_test/runs/%d" % run["id"],
                          {"status": "completed", "outcome": "succeeded", "freshness": None,
                           "completed_at": now}, role=None)
                n += 1
        return n


def ts(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


# ---------------------------------------------------------------- display and app

def start_xvfb(size="1280x900"):
    """Xvfb on a display nobody uses: no lock file, no socket (other sessions on this
    machine start and stop their own; -displayfd raced with them), then wait until the
    socket accepts a connection."""
    import random
    for _ in range(20):
        n = random.randint(300, 900)
        if os.path.exists("/tmp/.X%d-lock" % n) or os.path.exists("/tmp/.X11-unix/X%d" % n):
            continue
        p = subprocess.Popen(["Xvfb", ":%d" % n, "-screen", "0", size + "x24", "-nolisten", "tcp"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(p)
        deadline = time.monotonic() + 20
        while p.poll() is None and time.monotonic() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect("/tmp/.X11-unix/X%d" % n)
                s.close()
                return ":%d" % n
            except OSError:
                time.sleep(0.05)
        p.kill()
        children.remove(p)
    die("could not start Xvfb")


def app_env(display, token=None):
    env = dict(os.environ)
    env.update({"DISPLAY": display, "GDK_BACKEND": "x11", "GSK_RENDERER": "cairo",
                "GSETTINGS_BACKEND": "memory", "NO_AT_BRIDGE": "1", "GTK_A11Y": "none",
                "LC_ALL": "C.UTF-8"})
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    if token:
        env["ATLAS_TOKEN"] = token
    return env


def launch(argv, env, log):
    p = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    p.log_path = log.name
    children.append(p)
    return p


def task_switches(pid):
    """{tid: voluntary + nonvoluntary context switches} of every live thread."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                out[int(tid)] = sum(int(l.split()[1]) for l in f
                                    if l.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def threads(pid):
    return len(os.listdir("/proc/%d/task" % pid))


def pss_kb(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def measure(proc, seconds, label):
    """Sampled once a second from outside (reading /proc does not wake the app), so a
    thread that exits mid-window still counts up to its last sample."""
    pid = proc.pid
    base = task_switches(pid)
    last = dict(base)
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    end = t0 + seconds
    born = set()
    while time.monotonic() < end:
        if proc.poll() is not None:
            die("%s exited during the measurement (status %s)" % (label, proc.returncode))
        time.sleep(min(1, max(0.01, end - time.monotonic())))
        for tid, n in task_switches(pid).items():
            if tid not in base and tid not in born:
                born.add(tid)
            last[tid] = n
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    dt = t1 - t0
    total = sum(n - base.get(tid, 0) for tid, n in last.items())
    main = last.get(pid, 0) - base.get(pid, 0)
    names = {}
    for tid, n in last.items():
        try:
            with open("/proc/%d/task/%d/comm" % (pid, tid)) as f:
                name = f.read().strip()
        except OSError:
            name = "(exited)"
        names[name] = names.get(name, 0) + n - base.get(tid, 0)
    by_thread = ", ".join("%s %.3f" % (k, v / (t1 - t0)) for k, v in sorted(names.items()) if v)
    return {"seconds": dt, "cpu_pct": 100 * (cpu1 - cpu0) / dt,
            "wakeups_per_s": total / dt, "main_wakeups_per_s": main / dt,
            "threads": threads(pid), "threads_born": len(born), "pss_mb": pss_kb(pid) / 1024,
            "by_thread": by_thread or "none"}


def summarize(entries):
    by = {}
    for _, method, path, query, status, nbytes in entries:
        key = method + " " + path
        d = by.setdefault(key, {"n": 0, "304": 0, "bytes": 0})
        d["n"] += 1
        d["304"] += status == 304
        d["bytes"] += nbytes
    return by


def print_paths(by, minutes=None):
    for key in sorted(by):
        d = by[key]
        extra = "  %.1f/min" % (d["n"] / minutes) if minutes else ""
        print("    %-58s %5d req  %4d x 304  %8d B%s" % (key, d["n"], d["304"], d["bytes"], extra))


class DisplayLost(Exception):
    pass


def wait_for(counter, pred, timeout, proc, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = getattr(proc, "log_path", None)
            if log and "cannot open display" in open(log).read():
                raise DisplayLost()
            die("app exited before %s (status %s)" % (what, proc.returncode))
        for e in counter.since(0):
            if pred(e):
                return e
        time.sleep(0.02)
    die("no %s within %g s" % (what, timeout))


def build_paths(args):
    b = args.builddir
    backend = os.path.join(b, "src/backend/atlas-backend")
    app = os.path.join(b, "src/app/atlas-operator")
    bare = os.path.join(b, "bench/app/bench-bare-window")
    for exe in (backend, app):
        if not os.access(exe, os.X_OK):
            die("%s missing: run `meson setup %s && ninja -C %s`" % (exe, b, b))
    return backend, app, bare


def start_app(args, backend, scenario, extra=(), prepare=None):
    be = Backend(backend, scenario)
    if prepare:
        prepare(be)
    counter = Counter()
    proxy = make_proxy(be.port, counter)
    display = start_xvfb()
    log = open(os.path.join(args.tmp, "app.log"), "w")
    base = "http://127.0.0.1:%d" % (be.port if getattr(args, "direct", False) else proxy.server_address[1])
    t_exec = time.monotonic()
    proc = launch([args.app, "--backend", base] + list(extra), app_env(display, be.tokens["operator"]), log)
    return be, counter, proc, t_exec, display


# ---------------------------------------------------------------- modes

def mode_idle(args):
    backend, _, _ = build_paths(args)
    patched = []

    def prepare(be):
        patched.append(be.complete_all_live_runs())

    be, counter, proc, t_exec, display = start_app(args, backend, "test", prepare=prepare)
    wait_for(counter, lambda e: "/overview" in e[2], 30, proc, "overview request")
    time.sleep(args.settle)
    first = summarize(counter.since(0))
    t0 = time.monotonic()
    m = measure(proc, args.minutes * 60, "atlas-operator")
    later = counter.since(t0)
    print("idle: scenario test, %d live runs patched to completed; start page (overview + overlay)" % patched[0])
    print("  first load (first %g s after exec): %d requests" % (time.monotonic() - t_exec - m["seconds"],
                                                               sum(d["n"] for d in first.values())))
    print_paths(first)
    print("  measured %.1f min after the first load:" % (m["seconds"] / 60))
    minutes = m["seconds"] / 60
    print("    requests            %d   %.2f/min (target: 1/min, discovery)" % (len(later), len(later) / minutes))
    if later:
        print("    304 share           %.0f %%" % (100.0 * sum(1 for e in later if e[4] == 304) / len(later)))
    print_paths(summarize(later), minutes)
    print("    wakeups/s (all threads) %.3f   main thread %.3f   (target < 0.1); %d threads, %d started"
          " during the window" % (m["wakeups_per_s"], m["main_wakeups_per_s"], m["threads"], m["threads_born"]))
    print("    wakeups/s by thread: " + m["by_thread"])
    print("    CPU                 %.3f %%" % m["cpu_pct"])
    print("    PSS                 %.1f MB" % m["pss_mb"])
    if args.hidden_minutes > 0:
        idle_hidden(args, counter, proc, display)


def idle_hidden(args, counter, proc, display):
    """The same window unmapped (xdotool windowunmap: hidden, as GTK sees a minimized
    window under a window manager that unmaps it): discovery must ask nothing."""
    env = dict(os.environ, DISPLAY=display)
    wids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                          env=env, capture_output=True, text=True).stdout.split()
    if not wids:
        die("no window of the app found to hide")
    for wid in wids:
        subprocess.run(["xdotool", "windowunmap", wid], env=env, check=True)
    time.sleep(2)
    t0 = time.monotonic()
    m = measure(proc, args.hidden_minutes * 60, "atlas-operator")
    later = counter.since(t0)
    print("  hidden (window unmapped), %.1f min:" % (m["seconds"] / 60))
    print("    requests            %d   (target 0)" % len(later))
    print_paths(summarize(later))
    print("    wakeups/s (all threads) %.3f   main thread %.3f; %d threads, %d started during the window"
          % (m["wakeups_per_s"], m["main_wakeups_per_s"], m["threads"], m["threads_born"]))
    print("    wakeups/s by thread: " + m["by_thread"])
    print("    CPU                 %.3f %%" % m["cpu_pct"])


def mode_baseline(args):
    _, _, bare = build_paths(args)
    if not os.access(bare, os.X_OK):
        die("%s missing (bench/app is built with the project)" % bare)
    display = start_xvfb()
    log = open(os.path.join(args.tmp, "bare.log"), "w")
    proc = launch([bare], app_env(display), log)
    time.sleep(args.settle)
    m = measure(proc, args.minutes * 60, "bench-bare-window")
    print("baseline: bare AdwApplicationWindow with a label, %.1f min" % (m["seconds"] / 60))
    print("    wakeups/s (all threads) %.3f   main thread %.3f; %d threads, %d started during the window"
          % (m["wakeups_per_s"], m["main_wakeups_per_s"], m["threads"], m["threads_born"]))
    print("    wakeups/s by thread: " + m["by_thread"])
    print("    CPU                 %.3f %%" % m["cpu_pct"])
    print("    PSS                 %.1f MB" % m["pss_mb"])


def allowed_detail(t_start_age, seconds):
    """Run-detail polls the rule allows in `seconds` for a run aged t_start_age at the start."""
    t, n = 0.0, 0
    while True:
        age = t_start_age + t
        t += 1 if age < 10 else 5 if age < 60 else 10
        if t > seconds:
            return n
        n += 1


def mode_busy(args):
    backend, _, _ = build_paths(args)
    info = {}

    def prepare(be):
        info["patched"] = be.complete_all_live_runs()
        now = be.now()
        info["t0"] = now
        cards = be.call("GET", "/workspaces/1/overview", role="operator")["data"]["tenants"]
        tenants = [(t["id"], t["name"]) for t in cards[:5]]
        ids = []
        for i in range(10):
            tid, name = tenants[i % len(tenants)]
            run = {"id": 9001 + i, "workspace_id": 1, "tenant_id": tid, "type": "baseline_compare",
                   "status": "running", "created_at": ts(now - 2 - 30 * i),
                   "started_at": ts(now - 30 * i), "lifecycle_window_seconds": 900,
                   "summary_counts": {"total": 100000, "processed": 0, "succeeded": 0, "failed": 0},
                   "initiator": {"id": 3} if i < 3 else None}
            if name:
                run["tenant_name"] = name
            # Half make progress (a body change every 10 s), half are frozen (304s).
            run["_sim"] = ({"mode": "run", "rate": 0.1, "total": 100000, "outcome": "succeeded"}
                           if i % 2 == 0 else {"mode": "frozen"})
            be.call("POST", "/_test/runs", run)
            ids.append(run["id"])
        info["ids"] = ids

    extra = [] if args.no_detail else ["--run", "9001"]
    be, counter, proc, t_exec, _ = start_app(args, backend, "test", extra=extra, prepare=prepare)
    stop = threading.Event()
    conns = set()

    def sample_connections():
        # The app's own TCP connections to the backend (direct mode), from `ss -p`.
        out = subprocess.run(["ss", "-tnpH", "dst", "127.0.0.1:%d" % be.port],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            if ("pid=%d," % proc.pid) in line:
                conns.add(line.split()[3])

    def ticker():
        nxt = time.monotonic()
        while not stop.is_set():
            nxt += 1
            be.call("POST", "/_test/advance", {"seconds": 1})
            if args.direct:
                for _ in range(4):
                    sample_connections()
                    stop.wait(0.2)
            stop.wait(max(0, nxt - time.monotonic()))

    th = threading.Thread(target=ticker, daemon=True)
    th.start()
    try:
        if args.direct:
            time.sleep(10 + args.settle)
        else:
            wait_for(counter, lambda e: ("/overview" if args.no_detail else "/operations/9001") in e[2], 30, proc,
                     "first page request")
            time.sleep(args.settle)
        t0 = time.monotonic()
        age0 = be.now() - info["t0"]
        conns.clear()
        m = measure(proc, args.minutes * 60, "atlas-operator")
        entries = counter.since(t0, t0 + m["seconds"])
    finally:
        stop.set()
        th.join(timeout=5)
    if args.direct:
        print("busy --direct: no proxy, %s; %.1f min" % ("overview" if args.no_detail else "--run 9001",
                                                        m["seconds"] / 60))
        print("    app->backend TCP connections seen (ss, every 0.2 s): %d" % len(conns))
        print("    wakeups/s (all %d threads) %.2f   main %.2f   CPU %.2f %%   PSS %.1f MB"
              % (m["threads"], m["wakeups_per_s"], m["main_wakeups_per_s"], m["cpu_pct"], m["pss_mb"]))
        print("    wakeups/s by thread: " + m["by_thread"])
        return
    mins = m["seconds"] / 60
    by = summarize(entries)
    total = len(entries)
    n304 = sum(e[4] == 304 for e in entries)
    nbytes = sum(e[5] for e in entries)
    print("busy: scenario test, %d live runs completed, 10 running runs inserted (5 progressing, 5 frozen,"
          " 3 initiated by the operator); app opened on %s; backend clock advanced 1 s per wall second"
          % (info["patched"], "the overview (--no-detail)" if args.no_detail
             else "--run 9001 (overview underneath, overlay)"))
    print("  measured %.1f min starting %g s after the first detail request (detail run age %d s):"
          % (mins, args.settle, age0))
    print_paths(by, mins)
    print("    total               %d requests = %.1f/min; %d x 304 (%.0f %%); %d bytes to the app (%.1f kB/min)"
          % (total, total / mins, n304, 100.0 * n304 / max(total, 1), nbytes, nbytes / 1024 / mins))
    with counter.lock:
        conns = sum(t0 <= t < t0 + m["seconds"] for t in counter.connections)
    print("    TCP connections opened by the app in the window: %d" % conns)
    if args.no_detail:
        print("    rule allows: overview 6/min (tenants with active runs), overlay 6/min, notifications 6/min"
              " (operator has active runs) -> 18.0/min")
    else:
        det = allowed_detail(age0, m["seconds"])
        print("    rule allows: run detail %d (age %d..%d s), overlay 6/min, notifications 6/min (operator has"
              " active runs), overview 0 while hidden under the detail page -> %.1f/min"
              % (det, age0, age0 + m["seconds"], det / mins + 12))
    print("    wakeups/s (all %d threads) %.2f   main %.2f   CPU %.2f %%   PSS %.1f MB"
          % (m["threads"], m["wakeups_per_s"], m["main_wakeups_per_s"], m["cpu_pct"], m["pss_mb"]))
    print("    wakeups/s by thread: " + m["by_thread"])


def mode_startup(args):
    backend, _, _ = build_paths(args)
    be = Backend(backend, args.scenario)
    counter = Counter()
    proxy = make_proxy(be.port, counter)
    display = start_xvfb()
    base = "http://127.0.0.1:%d" % proxy.server_address[1]
    # One untimed launch first warms the page cache (shared libraries, fonts).
    results = []
    for i in range(args.repeat + 1):
        log = open(os.path.join(args.tmp, "startup-%d.log" % i), "w")
        t_exec = time.monotonic()
        proc = launch([args.app, "--backend", base], app_env(display, be.tokens["operator"]), log)
        first = wait_for(counter, lambda e: e[0] >= t_exec, 30, proc, "first request")
        ov = wait_for(counter, lambda e: e[0] >= t_exec and "/overview" in e[2] and e[4] == 200,
                      30, proc, "overview answer")
        if i > 0:
            mem = ""
            if i == args.repeat:
                time.sleep(3)
                with open("/proc/%d/smaps_rollup" % proc.pid) as f:
                    kv = {l.split(":")[0]: int(l.split()[1]) for l in f if l.split()[-1] == "kB"}
                mem = "; 3 s later PSS %.1f MB, USS %.1f MB, RSS %.1f MB" % (
                    kv["Pss"] / 1024, (kv["Private_Clean"] + kv["Private_Dirty"]) / 1024, kv["Rss"] / 1024)
            results.append((first[0] - t_exec, ov[0] - t_exec, ov[5], mem))
        proc.terminate()
        proc.wait(timeout=10)
        children.remove(proc)
    print("startup: real binary, scenario %s, exec -> proxy has sent the overview answer (%d runs after one"
          " warm-up)" % (args.scenario, args.repeat))
    for first, ov, nbytes, mem in results:
        print("    first request %.0f ms   overview answered %.0f ms   (%d B)%s" % (first * 1000, ov * 1000, nbytes, mem))
    ovs = sorted(r[1] for r in results)
    print("    median overview answered: %.0f ms (target: first data painted < 1000 ms)" % (ovs[len(ovs) // 2] * 1000))


# ---------------------------------------------------------------- wall: N screens, one backend

def proc_tree(pid):
    """pid and every descendant (Chromium is a process tree)."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def tree_cpu_pss(pid):
    cpu, pss = 0.0, 0
    for p in proc_tree(pid):
        try:
            cpu += cpu_seconds(p)
            pss += pss_kb(p)
        except OSError:
            pass
    return cpu, pss / 1024


# A wire:poll.10s page, as Livewire does it: every 10 s the browser POSTs the
# component's snapshot to /livewire/update and gets the whole component's HTML back,
# rendered on the server from the database each time (here: the backend's overview, the
# first 30 tenants as cards).  Nothing is conditional; every poll is a full 200.
POLL_PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Operations</title>
<style>body{font:14px sans-serif;margin:16px} .grid{display:grid;grid-template-columns:repeat(6,1fr);gap:8px}
.card{border:1px solid #ccc;border-radius:8px;padding:8px} .k{font-size:22px;font-weight:bold}</style></head>
<body><h1>Workspace overview</h1><div id="c" wire:poll.10s>loading</div><script>
const snapshot = JSON.stringify({memo:{name:"tenant-overview",path:"admin/workspaces/1",locale:"en",children:[]},
  data:{workspace:1,search:"",sort:"attention",page:1},checksum:"x".repeat(64)});
async function poll(){
  const r = await fetch("/livewire/update",{method:"POST",headers:{"Content-Type":"application/json",
    "X-Livewire":"true"},body:JSON.stringify({components:[{snapshot:snapshot,updates:{},calls:[]}]})});
  const j = await r.json(); document.getElementById("c").innerHTML = j.components[0].effects.html;
}
poll(); setInterval(poll, 10000);
</script></body></html>"""


def make_poll_page_server(be):
    import html as htmlmod

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def _send(self, code, ctype, body):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/":
                self._send(200, "text/html; charset=utf-8", POLL_PAGE)
            else:
                self._send(404, "text/plain", b"not found")

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            ov = be.call("GET", "/workspaces/1/overview", role="operator")["data"]
            cards = []
            for t in ov.get("tenants", [])[:30]:
                counts = " ".join('<span class="k">%s</span> %s' % (htmlmod.escape(str(v)), htmlmod.escape(k))
                                  for k, v in sorted(t.items()) if isinstance(v, int) and k != "id")
                cards.append('<div class="card" wire:key="tenant-%s"><a href="/admin/tenants/%s"><b>%s</b></a>'
                             '<div>%s</div></div>' % (t.get("id"), t.get("id"), htmlmod.escape(str(t.get("name", ""))),
                                                     counts))
            frag = '<div class="grid">%s</div>' % "".join(cards)
            body = json.dumps({"components": [{"snapshot": "{}", "effects": {"html": frag, "returns": []}}],
                               "assets": []}).encode()
            self._send(200, "application/json", body)

    class S(http.server.ThreadingHTTPServer):
        daemon_threads = True

    srv = S(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def screen_line(name, entries, minutes, cpu_pct=None, pss=None):
    n = len(entries)
    n304 = sum(1 for e in entries if e[4] == 304)
    nbytes = sum(e[5] for e in entries)
    extra = ""
    if cpu_pct is not None:
        extra = "   CPU %5.2f %%   PSS %6.1f MB" % (cpu_pct, pss)
    print("    %-22s %6.2f req/min   304 %3.0f %%   %8.0f B/min%s"
          % (name, n / minutes, 100.0 * n304 / n if n else 0, nbytes / minutes, extra))
    return n / minutes


def mode_wall(args):
    backend, _, _ = build_paths(args)
    be = Backend(backend, args.scenario)
    kiosk = not args.desktop
    role = "kiosk" if kiosk else "operator"
    if role not in be.tokens:
        die("the backend printed no %s token" % role)
    screens = []
    for i in range(args.screens):
        counter = Counter()
        proxy = make_proxy(be.port, counter)
        display = start_xvfb("1920x1080" if kiosk else "1280x800")
        log = open(os.path.join(args.tmp, "screen-%d.log" % i), "w")
        argv = [args.app, "--backend", "http://127.0.0.1:%d" % proxy.server_address[1]]
        if kiosk:
            argv.append("--kiosk")
        proc = launch(argv, app_env(display, be.tokens[role]), log)
        screens.append((counter, proc))
    browser = None
    if not args.no_browser:
        chromium = "/usr/bin/chromium"
        if not os.access(chromium, os.X_OK):
            die("%s missing: apt-get install chromium (or pass --no-browser)" % chromium)
        page = make_poll_page_server(be)
        bcounter = Counter()
        bproxy = make_proxy(page.server_address[1], bcounter)
        display = start_xvfb("1920x1080")
        prof = os.path.join(args.tmp, "chromium-profile")
        env = dict(os.environ, DISPLAY=display)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        blog = open(os.path.join(args.tmp, "chromium.log"), "w")
        browser = launch([chromium, "--kiosk", "--no-sandbox", "--no-first-run", "--disable-gpu",
                          "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", "--no-default-browser-check", "--user-data-dir=" + prof,
                          "http://127.0.0.1:%d/" % bproxy.server_address[1]], env, blog)
    for counter, proc in screens:
        wait_for(counter, lambda e: "/overview" in e[2], 60, proc, "overview request")
    time.sleep(args.settle)
    t0 = time.monotonic()
    cpu0 = [tree_cpu_pss(p.pid)[0] for _, p in screens]
    bcpu0 = tree_cpu_pss(browser.pid)[0] if browser else 0
    time.sleep(args.minutes * 60)
    t1 = time.monotonic()
    minutes = (t1 - t0) / 60
    for _, p in screens:
        if p.poll() is not None:
            die("a screen exited during the measurement (status %s)" % p.returncode)
    print("wall: %d %s screens of atlas-operator%s against one atlas-backend (scenario %s), each behind its own"
          " counting proxy; %.1f min after a %g s settle"
          % (args.screens, "kiosk (--kiosk, kiosk token, 1920x1080)" if kiosk else "desktop (overview + overlay"
             " + notifications, operator token, 1280x800)", "", args.scenario, minutes, args.settle))
    rates, all_entries = [], []
    for i, (counter, proc) in enumerate(screens):
        entries = counter.since(t0, t1)
        all_entries += entries
        cpu, pss = tree_cpu_pss(proc.pid)
        rates.append(screen_line("screen %d" % (i + 1), entries, minutes,
                                 100 * (cpu - cpu0[i]) / (t1 - t0), pss))
    print("    %-22s %6.2f req/min per screen (target: %s)" % ("mean", sum(rates) / len(rates),
                                                                "kiosk <= 6" if kiosk else "desktop <= 8"))
    print("  by endpoint, all screens:")
    print_paths(summarize(all_entries), minutes * len(screens))
    if browser:
        if browser.poll() is not None:
            die("chromium exited during the measurement (status %s); see %s" % (browser.returncode, blog.name))
        entries = bcounter.since(t0, t1)
        cpu, pss = tree_cpu_pss(browser.pid)
        print("  a wire:poll.10s page in Debian chromium --kiosk (1920x1080, same window, same backend data):")
        screen_line("chromium", entries, minutes, 100 * (cpu - bcpu0) / (t1 - t0), pss)
        print_paths(summarize(entries), minutes)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=["idle", "baseline", "busy", "startup", "wall"])
    ap.add_argument("--minutes", type=float)
    ap.add_argument("--settle", type=float)
    ap.add_argument("--hidden-minutes", type=float, default=0,
                    help="idle: then this long with the window unmapped")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-detail", action="store_true", help="busy: stay on the overview")
    ap.add_argument("--direct", action="store_true",
                    help="busy: no proxy (no request counts); wakeups and the app's TCP connections only")
    ap.add_argument("--scenario", help="default: test (demo for wall)")
    ap.add_argument("--screens", type=int, default=3, help="wall: how many app instances")
    ap.add_argument("--desktop", action="store_true", help="wall: desktop windows instead of kiosks")
    ap.add_argument("--no-browser", action="store_true", help="wall: without the chromium comparison")
    ap.add_argument("--builddir", default=os.path.join(ROOT, "_build-bench"))
    args = ap.parse_args()
    if args.scenario is None:
        args.scenario = "demo" if args.mode == "wall" else "test"
    if args.minutes is None:
        args.minutes = 2 if args.mode == "busy" else 3 if args.mode == "wall" else 10
    if args.settle is None:
        args.settle = 5 if args.mode == "busy" else 15
    args.builddir = os.path.abspath(args.builddir)
    _, args.app, _ = build_paths(args)
    import tempfile
    args.tmp = tempfile.mkdtemp(prefix="app-cost-")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, f: (cleanup(), sys.exit(128 + s)))
    run = {"idle": mode_idle, "baseline": mode_baseline, "busy": mode_busy, "startup": mode_startup,
           "wall": mode_wall}[args.mode]
    try:
        try:
            run(args)
        except DisplayLost:
            # Seen once on a shared machine: the display went away under the app.  Retry once.
            print("app-cost: the app could not open its Xvfb display; retrying once", file=sys.stderr)
            cleanup()
            run(args)
    finally:
        cleanup()
    print("  (logs in %s)" % args.tmp)


if __name__ == "__main__":
    main()
