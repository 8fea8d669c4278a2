#!/usr/bin/python3
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""desktop-tests — atlas-operator with the real desktop components (suite "desktop").

Usage: desktop-tests.py BUILD_DIR APP_ID   (under an X server: tools/run-tests uses xvfb-run)
       desktop-tests.py BUILD_DIR APP_ID --screenshots OUTDIR
         (the same session with openbox: connect, sign-in-again, change-server and
          preferences, light and dark, into OUTDIR; e.g. xvfb-run -s "-screen 0 1280x800x24")

Starts, from this script, what a GNOME session has: a private session bus
(dbus-run-session), gnome-keyring-daemon (Secret Service), a notification server
(Debian's notification-daemon) with dbus-monitor on org.freedesktop.Notifications,
the accessibility bus (at-spi2-core's launcher, activated on the session bus), and
D-Bus activation of the app from a service file that points at the build tree (in
a temporary XDG_DATA_DIRS), as GNOME Shell and launchers use it. The backend is the
real atlas-backend (`test` scenario, test-control endpoints) on a free loopback port.

The app runs with G_DEBUG=fatal-warnings: a GTK critical kills it and fails the test.
Every wait is a poll loop with short sleeps and a deadline. Output is TAP; a missing
component skips the whole suite (exit 77) and says which.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

WAIT = 20.0         # seconds any one thing may take
STEP = 0.05

NEEDED = ["dbus-run-session", "dbus-monitor", "gdbus", "gsettings", "gnome-keyring-daemon",
          "secret-tool", "xdotool"]
NOTIFICATION_DAEMON = "/usr/lib/notification-daemon/notification-daemon"


def skip(why):
    print("1..0 # SKIP " + why)
    sys.exit(77)


# --- outer: check the components, lay out the session, re-run inside it --------------

def outer(build, app_id, extra=()):
    if not os.environ.get("DISPLAY"):
        skip("no X display (run under xvfb-run)")
    missing = [p for p in NEEDED if shutil.which(p) is None]
    if not os.path.exists(NOTIFICATION_DAEMON):
        missing.append("notification-daemon")
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        missing.append("python3-pyatspi")
    if missing:
        skip("missing " + " ".join(missing))

    tmp = tempfile.mkdtemp(prefix="atlas-desktop-")
    env = dict(os.environ)
    for var in ("GTK_A11Y", "NO_AT_BRIDGE", "GSETTINGS_BACKEND", "DBUS_SESSION_BUS_ADDRESS",
                "ATLAS_TOKEN", "ATLAS_BACKEND", "GNOME_KEYRING_CONTROL", "SSH_AUTH_SOCK"):
        env.pop(var, None)
    share = os.path.join(tmp, "share")
    services = os.path.join(share, "dbus-1", "services")
    os.makedirs(services)
    # D-Bus activation of the build tree's binary, as the installed service file does.
    with open(os.path.join(services, app_id + ".service"), "w") as f:
        f.write("[D-BUS Service]\nName=%s\nExec=%s --gapplication-service\n"
                % (app_id, os.path.join(build, "src", "app", "atlas-operator")))
    runtime = os.path.join(tmp, "runtime")
    os.makedirs(runtime, mode=0o700)
    env.update({
        "HOME": os.path.join(tmp, "home"),
        "XDG_DATA_HOME": os.path.join(tmp, "data"),
        "XDG_DATA_DIRS": share + ":/usr/local/share:/usr/share",
        "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
        "XDG_STATE_HOME": os.path.join(tmp, "state"),
        "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
        "XDG_RUNTIME_DIR": runtime,
        # Settings kept in a file, so a restart reads what the last run wrote.
        "GSETTINGS_BACKEND": "keyfile",
        "GSETTINGS_SCHEMA_DIR": os.path.join(build, "data"),
        "GSK_RENDERER": "cairo",
        "LC_ALL": "C.UTF-8",
        "ATLAS_DESKTOP_TMP": tmp,
    })
    for d in ("home", "data", "config", "state", "cache"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    try:
        rc = subprocess.call(["dbus-run-session", "--", sys.executable, os.path.abspath(__file__),
                              "--inner", build, app_id] + list(extra), env=env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(rc)


# --- inner: the session -------------------------------------------------------------

class Session:
    def __init__(self, build, app_id):
        self.build = build
        self.app_id = app_id
        self.app_path = "/" + app_id.replace(".", "/")
        self.tmp = os.environ["ATLAS_DESKTOP_TMP"]
        self.procs = []
        self.app = None
        self.n = 0
        self.failed = 0
        self.log = open(os.path.join(self.tmp, "session.log"), "w")

    # processes
    def spawn(self, argv, **kw):
        p = subprocess.Popen(argv, stdout=kw.pop("stdout", self.log), stderr=kw.pop("stderr", self.log), **kw)
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                p.kill()

    def wait_for(self, what, pred, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(STEP)
        raise AssertionError("timed out waiting for " + what)

    # the backend
    def start_backend(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        out = os.path.join(self.tmp, "backend.out")
        self.backend = self.spawn([os.path.join(self.build, "src", "backend", "atlas-backend"),
                                   "--scenario", "test", "--test-control", "--print-tokens",
                                   "--listen", "127.0.0.1:%d" % port], stdout=open(out, "w"))
        self.url = "http://127.0.0.1:%d" % port
        tokens = {}

        def read_tokens():
            with open(out) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2:
                        tokens[parts[0]] = parts[1]
            return "operator" in tokens
        self.wait_for("the backend's tokens", read_tokens)
        self.token = tokens["operator"]
        self.me = self.http("GET", "/api/v1/me")["data"]

    def http(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": "Bearer " + self.token,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raise AssertionError("%s %s: %s %s" % (method, path, e.code, e.read().decode(errors="replace")))

    # the desktop components
    def start_desktop(self):
        # The login keyring, created and unlocked with this password on stdin.
        p = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                           input=b"atlas-test", capture_output=True, timeout=10)
        for line in p.stdout.decode().splitlines():
            k, _, v = line.partition("=")
            if k and v:
                os.environ[k] = v
        self.wait_for("the Secret Service", lambda: subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
             "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner",
             "org.freedesktop.secrets"], capture_output=True, text=True).stdout.strip() == "(true,)")
        self.monitor_out = os.path.join(self.tmp, "notifications.monitor")
        self.spawn(["dbus-monitor", "--session",
                    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
                   stdout=open(self.monitor_out, "w"))
        self.spawn([NOTIFICATION_DAEMON, "--replace"])
        # What an activated app inherits (gnome-session sets its own the same way).
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
                        "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.UpdateActivationEnvironment",
                        "{'ATLAS_TOKEN': '%s', 'ATLAS_BACKEND': '%s', 'G_DEBUG': 'fatal-warnings'}"
                        % (self.token, self.url)], check=True, capture_output=True, timeout=5)
        self.wait_for("the notification server", lambda: subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus", "--object-path",
             "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.NameHasOwner",
             "org.freedesktop.Notifications"], capture_output=True, text=True).stdout.strip() == "(true,)")

    # the app
    def app_env(self, token=None):
        env = dict(os.environ)
        env["G_DEBUG"] = "fatal-warnings"
        env["ATLAS_BACKEND"] = self.url
        env.pop("ATLAS_TOKEN", None)
        if token:
            env["ATLAS_TOKEN"] = token
        return env

    def start_app(self, *args, token=None):
        self.app = self.spawn([os.path.join(self.build, "src", "app", "atlas-operator")] + list(args),
                              env=self.app_env(token))
        return self.app

    def app_running(self):
        return self.bus_has_name(self.app_id)

    def bus_has_name(self, name):
        r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                            "--object-path", "/org/freedesktop/DBus", "--method",
                            "org.freedesktop.DBus.NameHasOwner", name], capture_output=True, text=True)
        return r.stdout.strip() == "(true,)"

    def app_pid(self):
        r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                            "--object-path", "/org/freedesktop/DBus", "--method",
                            "org.freedesktop.DBus.GetConnectionUnixProcessID", self.app_id],
                           capture_output=True, text=True)
        m = re.search(r"uint32 (\d+)", r.stdout)
        return int(m.group(1)) if m else None

    def quit_app(self):
        """Ctrl+Q in the window, as a person would; waits until the name is gone."""
        win = self.main_window()
        # Real key events (XTEST) to the focused window: GTK ignores synthetic ones.
        subprocess.run(["xdotool", "windowfocus", "--sync", win], capture_output=True, timeout=5)
        subprocess.run(["xdotool", "key", "ctrl+q"], capture_output=True, timeout=5)
        self.wait_for("the app to quit", lambda: not self.app_running())
        if self.app is not None:
            rc = self.app.wait(timeout=WAIT)
            self.app = None
            assert rc == 0, "the app exited with %d" % rc

    def reset(self):
        """After a failure: no app left over for the next check (our own, by its id)."""
        pid = self.app_pid()
        if self.app is not None and self.app.poll() is None:
            self.app.terminate()
        elif pid:
            os.kill(pid, signal.SIGTERM)
        try:
            self.wait_for("the app to go", lambda: not self.app_running(), timeout=5)
        except AssertionError:
            pass
        if self.app is not None:
            try:
                self.app.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.app.kill()
        self.app = None

    def gdbus(self, interface_method, *args, path=None):
        r = subprocess.run(["gdbus", "call", "--session", "--dest", self.app_id, "--object-path",
                            path or self.app_path, "--method", interface_method] + list(args),
                           capture_output=True, text=True, timeout=WAIT)
        assert r.returncode == 0, "%s failed: %s" % (interface_method, r.stderr.strip())
        return r.stdout

    def activate_action(self, name, param="[]"):
        self.gdbus("org.freedesktop.Application.ActivateAction", name, param, "{}")

    # windows
    def windows(self):
        r = subprocess.run(["xdotool", "search", "--onlyvisible", "--classname", "^%s$" % re.escape(self.app_id)],
                           capture_output=True, text=True)
        out = []
        for w in r.stdout.split():
            name = subprocess.run(["xdotool", "getwindowname", w], capture_output=True, text=True).stdout.strip()
            out.append((w, name))
        return out

    def titles(self):
        return [n for _, n in self.windows()]

    def main_window(self):
        for w, n in self.windows():
            if n.endswith("TenantAtlas Operator"):
                return w
        raise AssertionError("no main window (windows: %r)" % self.titles())

    def wait_title(self, title):
        return self.wait_for("a window titled %r (have %r)" % (title, self.titles()),
                             lambda: title in self.titles())

    def type_into(self, window_title, text):
        """Types the token into the connect dialog as a person would, then Enter.

        The dialog's Connect turns sensitive once address and token are valid: that
        is how we know the keys arrived (a window that has just mapped may still be
        taking the focus), and we type again if they did not."""
        import pyatspi
        w = self.wait_for("the window %r" % window_title,
                          lambda: next((w for w, n in self.windows() if n == window_title), None))

        def connect_enabled():
            # "C_onnect Connect" in libadwaita 1.2's dialogs: matched by its start.
            n = atspi_find(self.app_id, lambda n: n["role"] == "push button" and n["name"].replace("_", "").startswith("Connect")
                           and n["visible"])
            try:
                return n is not None and n["node"].getState().contains(pyatspi.STATE_SENSITIVE)
            except Exception:  # noqa: BLE001 — the dialog went away
                return False
        for _ in range(3):
            subprocess.run(["xdotool", "windowfocus", "--sync", w], capture_output=True, timeout=5)
            subprocess.run(["xdotool", "key", "ctrl+a", "BackSpace"], capture_output=True, timeout=5)
            subprocess.run(["xdotool", "type", "--delay", "2", text], check=True, timeout=WAIT)
            try:
                self.wait_for("Connect to turn sensitive", connect_enabled, timeout=3)
                break
            except AssertionError:
                continue
        # What a screen reader got from the dialog, for the mnemonic check below.
        if getattr(self, "connect_dialog_nodes", None) is None:
            self.connect_dialog_nodes = [{k: v for k, v in n.items() if k != "node"}
                                         for n in atspi_nodes(atspi_app(self.app_id)) if n["visible"]]
        subprocess.run(["xdotool", "key", "Return"], check=True, timeout=5)

    # the keyring, as the user's own tool sees it
    def keyring_token(self):
        r = subprocess.run(["secret-tool", "lookup", "backend", self.url], capture_output=True, text=True)
        return r.stdout if r.returncode == 0 else None

    # notifications seen on the bus
    def notify_calls(self):
        with open(self.monitor_out) as f:
            text = f.read()
        return [m for m in re.findall(r'member=Notify\n((?:   .*\n)+)', text)]

    def notify_count(self):
        return len(self.notify_calls())

    # TAP
    def check(self, name, func):
        self.n += 1
        try:
            func()
            if self.app is not None and self.app.poll() is not None:
                raise AssertionError("the app died (exit %s): a critical under fatal-warnings?" % self.app.returncode)
            print("ok %d - %s" % (self.n, name), flush=True)
        except Exception as e:  # noqa: BLE001 — a failed check, whatever it raised
            self.failed += 1
            self.reset()
            print("not ok %d - %s" % (self.n, name), flush=True)
            for line in str(e).splitlines() or [repr(e)]:
                print("# " + line, flush=True)


# --- at-spi ---------------------------------------------------------------------------

def atspi_app(app_id):
    import pyatspi
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        if a is not None and a.name == app_id:
            return a
    return None


def atspi_nodes(node, out=None, depth=0):
    """(role, name, description, text, showing) for every node under `node`."""
    import pyatspi
    if out is None:
        out = []
    try:
        role, name, desc = node.getRoleName(), node.name or "", node.description or ""
        showing = node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:  # noqa: BLE001 — a node that went away while we walked
        return out
    text = ""
    try:
        t = node.queryText()
        text = t.getText(0, -1)
    except Exception:  # noqa: BLE001 — not a text node
        pass
    out.append({"role": role, "name": name, "desc": desc, "text": text, "visible": showing,
                "depth": depth, "node": node})
    try:
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:  # noqa: BLE001 — the tree changed under us: the caller polls again
        return out
    for child in children:
        if child is not None:
            atspi_nodes(child, out, depth + 1)
    return out


def atspi_find(app_id, pred):
    try:
        a = atspi_app(app_id)
        if a is None:
            return None
        for n in atspi_nodes(a):
            if pred(n):
                return n
    except Exception:  # noqa: BLE001 — an app that is starting or going away
        return None
    return None


def atspi_click(app_id, role, name):
    n = atspi_find(app_id, lambda n: n["role"] == role and n["name"] == name and n["visible"])
    if n is None:
        return False
    try:
        action = n["node"].queryAction()
        for i in range(action.nActions):
            if action.getName(i) in ("click", "activate", "press"):
                return action.doAction(i)
        return action.doAction(0)
    except Exception:  # noqa: BLE001 — the button went away: the caller polls again
        return False


def dump(nodes, path):
    with open(path, "w") as f:
        for n in nodes:
            if not n["visible"]:
                continue
            line = "  " * n["depth"] + "[%s] %r" % (n["role"], n["name"])
            if n["desc"]:
                line += " desc=%r" % n["desc"]
            if n["text"] and n["text"] != n["name"]:
                line += " text=%r" % n["text"]
            f.write(line + "\n")


GTYPE_NAME = re.compile(r"^(Gtk|Adw|Atlas)[A-Z]\w*$")


def audit(nodes, where):
    """Every button named in words (not a type name, no mnemonic underscore); every
    status badge and KPI tile carries its state in words."""
    problems = []
    for n in nodes:
        if not n["visible"]:
            continue
        if n["role"] in ("push button", "toggle button", "menu button", "check box", "radio button"):
            if not n["name"].strip() or GTYPE_NAME.match(n["name"]):
                problems.append("%s: a %s without a name (%r, description %r)" % (where, n["role"], n["name"], n["desc"]))
        if n["role"] in ("push button", "toggle button", "menu item") and "_" in n["name"]:
            problems.append("%s: a mnemonic underscore in %r" % (where, n["name"]))
        # A raw key ("inventory_sync") where a person expects words.
        for said in (n["name"], n["text"], n["desc"]):
            if re.fullmatch(r"[a-z]+(_[a-z]+)+", said.strip()):
                problems.append("%s: a raw key %r (%s %r)" % (where, said, n["role"], n["name"]))
        if n["role"] == "status bar" and not n["name"].strip():
            problems.append("%s: a status without words" % where)
    return problems


# --- the tests --------------------------------------------------------------------------

def main_inner(build, app_id):
    s = Session(build, app_id)
    app_name = "TenantAtlas Operator"
    try:
        s.start_backend()
        s.start_desktop()
        run_id = {}

        # 1. A refused token is never kept; the page offers its way forward.
        def refused_token_not_stored():
            s.start_app()
            s.type_into("Connect to TenantAtlas", "not-" + s.token)
            s.wait_for("the sign-in-again page", lambda: atspi_find(
                app_id, lambda n: n["role"] == "push button" and n["name"] == "Sign In…" and n["visible"]))
            assert s.keyring_token() is None, "a refused token is in the keyring"
            # No dead end: the page has Change Server… too.
            assert atspi_find(app_id, lambda n: n["name"] == "Change Server…" and n["visible"]) is not None
        s.check("a refused token is not stored; the page offers Sign In… and Change Server…",
                refused_token_not_stored)

        # 2. The token is stored only once /me accepted it (a slow /me shows the order).
        def token_stored_after_me():
            s.http("POST", "/api/v1/_test/faults", {"kind": "latency", "latency_ms": 2000,
                                                     "path_prefix": "/api/v1/me", "count": 3})
            s.wait_for("Sign In… to be pressed", lambda: atspi_click(app_id, "push button", "Sign In…"))
            t0 = time.monotonic()
            s.type_into("Connect to TenantAtlas", s.token)
            typed = time.monotonic() - t0
            time.sleep(0.3)   # the answer to /me is still about 1.7 s away
            early = s.keyring_token()
            assert early is None, "the token was stored before /me answered (typing took %.2f s; %s)" % (
                typed, "the same token" if early == s.token else "another token")
            s.wait_title("Overview — TenantAtlas Operator")
            s.wait_for("the token in the keyring", lambda: s.keyring_token() == s.token)
        s.check("the token is stored in the keyring only after /me accepted it", token_stored_after_me)

        # 3. Restart: the token is read back; size and colour scheme are kept (Ctrl+Q).
        def restart_reads_back():
            win = s.main_window()
            subprocess.run(["xdotool", "windowsize", "--sync", win, "1000", "700"], timeout=5)
            s.activate_action("color-scheme", "[<'dark'>]")
            time.sleep(0.2)
            s.quit_app()
            s.start_app()
            s.wait_title("Overview — TenantAtlas Operator")
            assert "Connect to TenantAtlas" not in s.titles(), "asked for a token it has"
            geo = subprocess.run(["xdotool", "getwindowgeometry", s.main_window()],
                                 capture_output=True, text=True).stdout
            m = re.search(r"Geometry: (\d+)x(\d+)", geo)
            assert m and (int(m.group(1)), int(m.group(2))) == (1000, 700), "size not kept: " + geo.strip()
            scheme = subprocess.run(["gsettings", "get", "org.tenantatlas.Operator", "color-scheme"],
                                    capture_output=True, text=True).stdout.strip()
            assert scheme == "'dark'", "colour scheme not kept: " + scheme
        s.check("restart: the token is read back, window size and colour scheme kept across Ctrl+Q",
                restart_reads_back)

        # 4. Sign Out (the main menu's action) removes the keyring item.
        def sign_out():
            s.activate_action("sign-out")
            s.wait_for("the keyring item to go", lambda: s.keyring_token() is None)
            s.wait_for("the signed-out page", lambda: atspi_find(
                app_id, lambda n: n["name"] == "Signed out" and n["visible"]))
            assert atspi_find(app_id, lambda n: n["name"] == "Sign In…" and n["visible"]) is not None
            s.quit_app()
        s.check("Sign Out removes the token from the keyring (secret-tool confirms)", sign_out)

        # 5. One desktop notification per finished run of mine, also across a restart.
        clock = s.http("GET", "/api/v1/_test/clock")["data"]["now"]

        def insert_run(rid):
            s.http("POST", "/api/v1/_test/runs", {
                "id": rid, "workspace_id": 1, "tenant_id": tenant,
                "type": "inventory_sync", "type_label": "Inventory sync", "status": "running",
                "outcome": None, "freshness": "fresh", "lifecycle_window_seconds": 900,
                "created_at": clock, "started_at": clock, "last_progress_at": clock,
                "initiator": {"id": s.me["user"]["id"]},
                "summary_counts": {"total": 10, "processed": 3}})

        tenant = s.http("GET", "/api/v1/workspaces/1/operations?per_page=1")["data"][0]["tenant_id"]

        def notifications():
            # Two runs of mine are going when the app starts; its first look at the
            # notifications records where it is, and the runs keep it polling (10 s).
            for rid in (9001, 9002):
                insert_run(rid)
            s.start_app(token=s.token)
            s.wait_title("Overview — TenantAtlas Operator")
            s.wait_for("the active runs in the header", lambda: atspi_find(
                app_id, lambda n: n["role"] == "push button" and "active operation" in n["name"]))
            before = s.notify_count()
            for rid in (9001, 9002):
                s.http("PATCH", "/api/v1/_test/runs/%d" % rid, {"status": "completed", "outcome": "succeeded"})
            s.wait_for("two notifications", lambda: s.notify_count() - before >= 2, timeout=30)
            # A restart shows nothing again (the last id is kept per backend and user).
            s.quit_app()
            s.start_app(token=s.token)
            s.wait_title("Overview — TenantAtlas Operator")
            time.sleep(1.0)
            assert s.notify_count() - before == 2, "not exactly one per run: %d" % (s.notify_count() - before)
            run_id["notified"] = 9002
        s.check("one desktop notification per finished run (dbus-monitor on org.freedesktop.Notifications)",
                notifications)

        # 6. Its default action opens the run (clicked on notification-daemon's bubble).
        def click_notification():
            # A run of mine that ends while this instance runs: its bubble is this one's.
            before = s.notify_count()

            def active_button():
                n = atspi_find(app_id, lambda n: n["role"] == "push button" and "active operation" in n["name"])
                return n["name"] if n else None
            shown = s.wait_for("the active operations button", active_button)
            insert_run(9003)
            s.wait_for("the new active run in the header", lambda: active_button() not in (None, shown),
                       timeout=30)
            s.http("PATCH", "/api/v1/_test/runs/9003", {"status": "completed", "outcome": "failed"})
            s.wait_for("its notification", lambda: s.notify_count() > before, timeout=30)
            run_id["notified"] = 9003
            bubbles = s.wait_for("a notification bubble", lambda: subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--classname", "notification-daemon"],
                capture_output=True, text=True).stdout.split())
            subprocess.run(["xdotool", "mousemove", "--window", bubbles[-1], "20", "20", "click", "1"], timeout=5)
            s.wait_title("Run #%d — TenantAtlas Operator" % run_id["notified"])
        s.check("clicking the notification opens that run", click_notification)

        # 7. With the app not running, the notification's action (D-Bus activation of
        # app.show-run, as GNOME Shell sends it) starts it and shows the run.
        def show_run_not_running():
            if s.app_running():
                s.quit_app()
            s.activate_action("show-run", "[<int64 %d>]" % run_id["notified"])
            s.wait_title("Run #%d — TenantAtlas Operator" % run_id["notified"])
        s.check("app not running: app.show-run over D-Bus starts it and shows the run", show_run_not_running)

        link = s.url + "/admin/workspaces/1/operations/15"

        # 8./9. org.freedesktop.Application.Open with a console link, running and not.
        def open_running():
            s.gdbus("org.freedesktop.Application.Open", "['%s']" % link, "{}")
            s.wait_title("Run #15 — TenantAtlas Operator")
            # Its status in words: only an answer from the backend paints that.
            s.wait_for("run 15's status", lambda: atspi_find(
                app_id, lambda n: n["role"] == "status bar" and n["visible"] and n["name"]))
        s.check("Application.Open with a console link, app running: the run is fetched and shown", open_running)

        def open_not_running():
            s.quit_app()
            s.gdbus("org.freedesktop.Application.Open", "['%s']" % link, "{}")
            s.wait_title("Run #15 — TenantAtlas Operator")
        s.check("Application.Open with a console link, app not running: D-Bus activation shows the run",
                open_not_running)

        # 10. A link from another deployment is refused with a message.
        def other_host():
            s.gdbus("org.freedesktop.Application.Open",
                    "['https://other.example.test/admin/workspaces/1/operations/16']", "{}")
            s.wait_for("the refusal", lambda: atspi_find(
                app_id, lambda n: n["visible"] and n["name"].startswith("This link is for https://other.example.test")))
            assert "Run #16 — TenantAtlas Operator" not in s.titles()
        s.check("a link of another backend is refused with a message", other_host)

        # 11. An invalid link exits non-zero, app running and not.
        def invalid_link():
            exe = os.path.join(build, "src", "app", "atlas-operator")
            r = subprocess.run([exe, "https://atlas.example.test/not/a/view"], env=s.app_env(s.token),
                               capture_output=True, text=True, timeout=WAIT)
            assert r.returncode != 0 and "not a link" in r.stderr, "running: %d %r" % (r.returncode, r.stderr)
            s.quit_app()
            r = subprocess.run([exe, "ftp://x/admin/operations/1"], env=s.app_env(s.token),
                               capture_output=True, text=True, timeout=WAIT)
            assert r.returncode != 0 and "not a link" in r.stderr, "not running: %d %r" % (r.returncode, r.stderr)
            assert not s.app_running()
        s.check("an invalid link exits non-zero (running and not running)", invalid_link)

        # 12./13. What a screen reader gets: overview and run detail.
        def atspi_overview():
            s.start_app(token=s.token)
            s.wait_title("Overview — TenantAtlas Operator")
            s.wait_for("the tenant cards", lambda: atspi_find(
                app_id, lambda n: n["role"] == "status bar" and n["visible"]))
            nodes = atspi_nodes(atspi_app(app_id))
            dump(nodes, os.path.join(build, "meson-logs", "atspi-overview.txt"))
            problems = audit(nodes, "overview")
            assert not problems, "\n".join(problems)
        s.check("at-spi, overview: every button named, every status in words", atspi_overview)

        def atspi_focusable_rows():
            # The widget that takes focus in a list or grid is the list's own row: it
            # must say which run / tenant it is and its state, not an empty cell.
            import pyatspi
            nodes = atspi_nodes(atspi_app(app_id))
            rows = []
            for n in nodes:
                try:
                    focusable = n["node"].getState().contains(pyatspi.STATE_FOCUSABLE)
                except Exception:  # noqa: BLE001 — gone
                    continue
                if n["visible"] and focusable and n["role"] in ("list item", "table cell", "grid cell"):
                    rows.append(n)
            assert rows, "no focusable list rows or grid cells on the overview"
            bad = ["%s %r / %r" % (n["role"], n["name"], n["desc"]) for n in rows
                   if not n["name"].strip() or not n["desc"].strip()]
            assert not bad, "focusable rows without a name or description:\n" + "\n".join(bad)
            runs = [n for n in rows if re.match(r"Run #\d+, ", n["name"])]
            assert runs, "no focusable row reads as a run: %r" % [n["name"] for n in rows]
            for n in rows[:4] + runs[:2]:
                print("# read: %s %r, %r" % (n["role"], n["name"], n["desc"]), flush=True)
        s.check("at-spi, overview: the focusable rows carry name and description", atspi_focusable_rows)

        def atspi_progress_bar():
            # A running run with counts: its bar reads "120 / 369", not a bare percentage.
            s.http("POST", "/api/v1/_test/runs", {
                "id": 9050, "workspace_id": 1, "tenant_id": tenant,
                "type": "inventory_sync", "type_label": "Inventory sync", "status": "running",
                "outcome": None, "freshness": "fresh", "lifecycle_window_seconds": 900,
                "created_at": clock, "started_at": clock, "last_progress_at": clock,
                "initiator": {"id": s.me["user"]["id"]},
                "summary_counts": {"total": 369, "processed": 120}})
            s.gdbus("org.freedesktop.Application.Open", "['%s/admin/workspaces/1/operations/9050']" % s.url, "{}")
            s.wait_title("Run #9050 — TenantAtlas Operator")
            bar = s.wait_for("the progress bar", lambda: atspi_find(
                app_id, lambda n: n["role"] == "progress bar" and n["visible"]))
            deadline = time.monotonic() + 5
            while not re.search(r"\d+ / \d+", bar["name"]) and time.monotonic() < deadline:
                time.sleep(0.2)
                bar = atspi_find(app_id, lambda n: n["role"] == "progress bar" and n["visible"]) or bar
            print("# read: progress bar %r" % bar["name"], flush=True)
            assert "120 / 369" in bar["name"], "the progress bar reads %r, not its count" % bar["name"]
        s.check("at-spi, run detail: the progress bar reads its \"120 / 369\"", atspi_progress_bar)

        def atspi_run_detail():
            s.gdbus("org.freedesktop.Application.Open", "['%s']" % link, "{}")
            s.wait_title("Run #15 — TenantAtlas Operator")
            s.wait_for("the run's status", lambda: atspi_find(
                app_id, lambda n: n["role"] == "status bar" and n["visible"] and n["name"]))
            nodes = atspi_nodes(atspi_app(app_id))
            dump(nodes, os.path.join(build, "meson-logs", "atspi-run-detail.txt"))
            problems = audit(nodes, "run detail")
            assert not problems, "\n".join(problems)
            s.quit_app()
        s.check("at-spi, run detail: every button named, every status in words", atspi_run_detail)

        def atspi_connect_dialog():
            nodes = getattr(s, "connect_dialog_nodes", None)
            assert nodes, "the connect dialog was never read"
            names = [n["name"] for n in nodes if n["name"]]
            print("# read: %r" % [n for n in names if "onnect" in n or "ancel" in n], flush=True)
            leaks = [n for n in names if "_" in n]
            assert not leaks, "mnemonic underscores in names: %r" % leaks
        s.check("at-spi, connect dialog: no mnemonic underscore in a name", atspi_connect_dialog)

        # 14. The demo keeps no notification state on disk (it grew a line per start).
        def demo_state():
            state = os.path.join(os.environ["XDG_STATE_HOME"], "tenantatlas-operator", "notifications.ini")
            size = os.path.getsize(state) if os.path.exists(state) else 0
            for _ in range(2):
                p = s.start_app("--demo")
                s.wait_for("the demo's overview", lambda: any(
                    t == "Overview — TenantAtlas Operator" for t in s.titles()))
                time.sleep(0.5)
                p.terminate()
                p.wait(timeout=WAIT)
                s.app = None
            after = os.path.getsize(state) if os.path.exists(state) else 0
            assert after == size, "the state file grew from %d to %d bytes" % (size, after)
        s.check("--demo starts keep no notification state (the file does not grow)", demo_state)
    except Exception as e:  # noqa: BLE001 — set-up failed: say so in TAP
        s.n += 1
        s.failed += 1
        print("not ok %d - set-up of the desktop session" % s.n)
        print("# " + str(e))
    finally:
        s.stop_all()
    print("1..%d" % s.n)
    return 1 if s.failed else 0


def screenshots(build, app_id, outdir):
    """docs/screenshots/{connect,sign-in-again,change-server,preferences}-{light,dark}.png"""
    s = Session(build, app_id)
    try:
        s.start_backend()
        s.start_desktop()
        wm = s.spawn(["openbox"])   # dialogs centred over their window, as on a desktop
        time.sleep(1)
        exe = os.path.join(build, "src", "app", "atlas-operator")

        def gset(key, value):
            subprocess.run(["gsettings", "set", app_id, key, value], check=True)

        def shot(name):
            time.sleep(1.2)   # the last frame painted
            subprocess.run(["import", "-window", "root", os.path.join(outdir, name)], check=True)
            print("wrote " + name)
        for scheme in ("light", "dark"):
            gset("color-scheme", scheme)
            gset("window-maximized", "true")
            gset("backend-url", "")
            env = s.app_env()
            env.pop("ATLAS_BACKEND")
            s.app = s.spawn([exe], env=env)                      # nothing set up yet
            s.wait_for("the dialog", lambda: "Connect to TenantAtlas" in s.titles())
            shot("connect-%s.png" % scheme)
            s.reset()
            s.start_app()                                        # a refused token
            s.type_into("Connect to TenantAtlas", "expired-token")
            s.wait_for("the page", lambda: atspi_find(app_id, lambda n: n["name"] == "Sign In…" and n["visible"]))
            shot("sign-in-again-%s.png" % scheme)
            s.reset()
            s.start_app(token=s.token)                           # the main menu's Change Server…
            s.wait_title("Overview — TenantAtlas Operator")
            time.sleep(1)
            s.activate_action("change-server")
            s.wait_for("the dialog", lambda: "Connect to TenantAtlas" in s.titles())
            shot("change-server-%s.png" % scheme)
            subprocess.run(["xdotool", "key", "Escape"], timeout=5)
            time.sleep(0.5)
            s.activate_action("preferences")
            s.wait_for("the preferences", lambda: "Preferences" in s.titles())
            shot("preferences-%s.png" % scheme)
            s.reset()
        wm.terminate()
    finally:
        s.stop_all()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--inner":
        if len(sys.argv) == 6 and sys.argv[4] == "--screenshots":
            sys.exit(screenshots(sys.argv[2], sys.argv[3], sys.argv[5]))
        sys.exit(main_inner(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 5 and sys.argv[3] == "--screenshots":
        outer(os.path.abspath(sys.argv[1]), sys.argv[2], ["--screenshots", os.path.abspath(sys.argv[4])])
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    outer(os.path.abspath(sys.argv[1]), sys.argv[2])
