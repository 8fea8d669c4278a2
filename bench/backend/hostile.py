#!/usr/bin/env python3
# hostile.py — atlas-backend under hostile load: /health p99 and throughput, RSS.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: nice python3 bench/backend/hostile.py [path/to/atlas-backend] [seconds]
#
# Starts atlas-backend --scenario scale on 127.0.0.1 and, while a prober asks for
# /health every 20 ms on its own connection, runs:
#   pages  page 1 against the deepest page of each kind of list (median of 30)
#   (a)    4 clients asking for page=1000000 as fast as they can
#   (b)    wrk, 500 connections, a mix of deep pages (needs wrk; skipped without)
#   (c)    600 slowloris connections, one header line a second
#   (d)    8 unauthenticated POSTs announcing and sending 100 MB each; RSS around it
# Targets: /health p99 < 50 ms in (a)–(c); RSS growth < 20 MB in (d); deep < 3x page 1.
# Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.

import http.client
import json
import multiprocessing
import os
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BACKEND = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "_build/src/backend/atlas-backend")
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
PORT = int(os.environ.get("ATLAS_BENCH_PORT", "18761"))
HOST = "127.0.0.1"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def get(conn, path, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


class Prober(threading.Thread):
    """GET /health every 20 ms on one keep-alive connection; latencies in ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.latencies = []
        self.failures = 0

    def run(self):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                status, _ = get(conn, "/api/v1/health")
                if status != 200:
                    self.failures += 1
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.stop.wait(0.02)

    def report(self):
        xs = sorted(self.latencies) or [float("nan")]
        p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
        return (f"/health n={len(xs)} p50={statistics.median(xs):.2f}ms p99={p99:.2f}ms "
                f"max={xs[-1]:.2f}ms failures={self.failures}"), p99


BACKEND_PROC = None


def with_prober(label, load):
    if BACKEND_PROC.poll() is not None:
        sys.exit(f"{label}: the backend is gone (exit status {BACKEND_PROC.returncode})")
    prober = Prober()
    prober.start()
    time.sleep(0.3)
    extra = load()
    prober.stop.set()
    prober.join()
    line, p99 = prober.report()
    verdict = "ok" if p99 < 50 else "MISSED"
    print(f"{label}: {line}  [{verdict}: target p99 < 50 ms]" + (f"; {extra}" if extra else ""))
    sys.stdout.flush()


def deep_client(token, seconds, counter):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and n < 1_000_000:
        get(conn, "/api/v1/workspaces/1/operations?page=1000000", token)
        n += 1
    with counter.get_lock():
        counter.value += n


def slowloris(count, seconds, result):
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(count):
        s = socket.create_connection((HOST, PORT), timeout=5)
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        socks.append(s)
    closed = set()
    deadline = time.monotonic() + seconds
    next_trickle = time.monotonic() + 1
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed.add(key.fileobj.fileno())
                sel.unregister(key.fileobj)
        if time.monotonic() >= next_trickle:
            next_trickle += 1
            for s in socks:
                if s.fileno() not in closed:
                    try:
                        s.send(b"X-Slow: 1\r\n")
                    except OSError:
                        pass
    result.value = len(closed)
    for s in socks:
        s.close()


def big_post(megabytes, result, index):
    s = socket.create_connection((HOST, PORT), timeout=10)
    total = megabytes * 1024 * 1024
    s.sendall(b"POST /api/v1/tenants/7/review-packs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % total)
    chunk = b" " * 65536
    sent = 0
    try:
        while sent < total:
            sent += s.send(chunk[: min(len(chunk), total - sent)])
    except OSError:
        pass
    answer = b""
    try:
        s.settimeout(5)
        answer = s.recv(4096)
    except OSError:
        pass
    s.close()
    result[index] = int(answer[9:12]) if answer.startswith(b"HTTP/1.1 ") else 0
    result[8 + index] = sent // (1024 * 1024)


def main():
    if not os.access(BACKEND, os.X_OK):
        sys.exit(f"no atlas-backend at {BACKEND} (build it first)")
    tokens = tempfile.NamedTemporaryFile("w+", delete=False)
    log = tempfile.NamedTemporaryFile("w+", delete=False)
    proc = subprocess.Popen([BACKEND, "--scenario", "scale", "--listen", f"{HOST}:{PORT}",
                             "--print-tokens"], stdout=tokens, stderr=log)
    global BACKEND_PROC
    BACKEND_PROC = proc
    try:
        for _ in range(600):
            time.sleep(0.1)
            if proc.poll() is not None:
                sys.exit(open(log.name).read())
            text = open(tokens.name).read()
            if "operator " in text and "listening" in open(log.name).read():
                break
        token = [line.split()[1] for line in text.splitlines() if line.startswith("operator ")][0]
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; backend pid {proc.pid};"
              f" {SECONDS:.0f} s per phase")
        print(open(log.name).read().strip().replace("atlas-backend: ", "backend: "))

        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        lists = ["", "tab=completed&", "tab=terminal_follow_up&", "type=policy_backup&",
                 "problem_class=terminal_follow_up&"]
        print("pages (median of 30 sequential keep-alive requests, whole HTTP round trip):")
        for prefix in lists:
            _, body = get(conn, f"/api/v1/workspaces/1/operations?{prefix}page=1", token)
            total = json.loads(body)["meta"]["total"]
            last = max(1, (total + 24) // 25)
            medians = []
            for page in (1, last):
                xs = []
                for _ in range(30):
                    started = time.perf_counter()
                    get(conn, f"/api/v1/workspaces/1/operations?{prefix}page={page}", token)
                    xs.append((time.perf_counter() - started) * 1000)
                medians.append(statistics.median(xs))
            ratio = medians[1] / medians[0]
            print(f"  {prefix or 'all&':36s} page 1 {medians[0]:.2f} ms, page {last} {medians[1]:.2f} ms,"
                  f" ratio {ratio:.2f} [{'ok' if ratio < 3 else 'MISSED'}: < 3x]")
        conn.close()

        def phase_a():
            counter = multiprocessing.Value("q", 0)
            ps = [multiprocessing.Process(target=deep_client, args=(token, SECONDS, counter))
                  for _ in range(4)]
            for p in ps:
                p.start()
            for p in ps:
                p.join()
            return f"page=1000000 throughput {counter.value / SECONDS:.0f} req/s (4 clients)"

        with_prober("(a) 4 x page=1000000", phase_a)

        def phase_b():
            if shutil.which("wrk") is None:
                return "wrk not installed: skipped"
            env = dict(os.environ, ATLAS_TOKEN=token, ATLAS_LAST_PAGE="7600")
            out = subprocess.run(["wrk", "-t2", "-c500", f"-d{SECONDS:.0f}s", "--timeout", "5s",
                                  "-s", os.path.join(HERE, "deep-mix.lua"),
                                  f"http://{HOST}:{PORT}/"],
                                 env=env, capture_output=True, text=True, timeout=SECONDS + 30)
            return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()

        with_prober("(b) wrk -c500 deep mix", phase_b)

        def phase_c():
            closed = multiprocessing.Value("i", 0)
            seconds = max(SECONDS, 12)
            p = multiprocessing.Process(target=slowloris, args=(600, seconds, closed))
            p.start()
            p.join(seconds + 30)
            return f"slowloris connections closed by the server within {seconds:.0f} s: {closed.value}/600"

        with_prober("(c) 600 slowloris", phase_c)

        before, _ = rss_kib(proc.pid)
        result = multiprocessing.Array("i", 16)
        ps = [multiprocessing.Process(target=big_post, args=(100, result, i)) for i in range(8)]
        peak = before
        for p in ps:
            p.start()
        deadline = time.monotonic() + 60
        while any(p.is_alive() for p in ps) and time.monotonic() < deadline:
            peak = max(peak, rss_kib(proc.pid)[0])
            time.sleep(0.05)
        for p in ps:
            p.join(5)
        time.sleep(0.5)
        after, _ = rss_kib(proc.pid)
        growth = (after - before) / 1024
        print(f"(d) 8 x unauthenticated 100 MB POST: statuses {sorted(set(result[:8]))},"
              f" MB sent before the server closed {list(result[8:])};"
              f" RSS before {before / 1024:.1f} MB, peak {peak / 1024:.1f} MB, after {after / 1024:.1f} MB,"
              f" growth {growth:.1f} MB [{'ok' if growth < 20 else 'MISSED'}: < 20 MB]")
        with_prober("after all phases", lambda: None)
    finally:
        if proc.poll() is not None:
            print(f"backend exited with {proc.returncode}:", open(log.name).read()[-2000:])
        proc.terminate()
        proc.wait(10)
        os.unlink(tokens.name)
        os.unlink(log.name)


if __name__ == "__main__":
    main()
