#!/usr/bin/env python3
# check-flatpak.py — the Flatpak manifests and the metainfo, held to what Flathub checks.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-flatpak.py SOURCE_ROOT FLATPAK_BUILDER
#
# FLATPAK_BUILDER is the path meson found, or "": then `--show-manifest` is not run
# (said in the output) and the rest is still checked:
# - flatpak/org.tenantatlas.Operator.json (the release): the GNOME runtime of a current
#   branch, its own source from `git` (with a tag or commit) or `archive` (with a
#   checksum), never `dir`; no broad filesystem or bus access;
# - flatpak/org.tenantatlas.Operator.Devel.json (development): the .Devel id and the
#   development profile, built from this checkout (`dir`);
# - every screenshot the metainfo names is a file under docs/screenshots/ of this tree,
#   so its URL resolves once the tree is published at the metainfo's address.

import json
import os
import re
import subprocess
import sys

RUNTIME_MIN = 49          # the oldest GNOME runtime branch still supported (Dec 2026)
FORBIDDEN = re.compile(r"^--(filesystem=(host|home)|socket=session-bus|socket=system-bus|"
                       r"talk-name=org\.freedesktop\.Flatpak|device=all)")


def main():
    root, tool = sys.argv[1], sys.argv[2]
    problems = []
    manifests = {}
    for name in ("org.tenantatlas.Operator.json", "org.tenantatlas.Operator.Devel.json"):
        path = os.path.join(root, "flatpak", name)
        with open(path) as f:
            manifests[name] = m = json.load(f)
        if tool:
            proc = subprocess.run([tool, "--show-manifest", path], capture_output=True, text=True)
            print("$ flatpak-builder --show-manifest %s: exit %d" % (name, proc.returncode))
            if proc.returncode != 0:
                problems.append("%s: flatpak-builder --show-manifest failed: %s" % (name, proc.stderr.strip()))
            elif json.loads(proc.stdout).get("id") != m["id"]:
                problems.append("%s: flatpak-builder read another id" % name)
        if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk":
            problems.append("%s: not the GNOME runtime and SDK" % name)
        try:
            if int(m.get("runtime-version", "0")) < RUNTIME_MIN:
                problems.append("%s: runtime %s is end-of-life" % (name, m.get("runtime-version")))
        except ValueError:
            problems.append("%s: runtime-version %r is not a stable branch" % (name, m.get("runtime-version")))
        for arg in m.get("finish-args", []):
            if FORBIDDEN.match(arg):
                problems.append("%s: %s is more than the app needs" % (name, arg))

    release = manifests["org.tenantatlas.Operator.json"]
    devel = manifests["org.tenantatlas.Operator.Devel.json"]
    own = release["modules"][-1]["sources"]
    for src in own:
        if src.get("type") == "dir":
            problems.append("release manifest: a dir source (Flathub builds from git or an archive)")
        if src.get("type") == "git" and not (src.get("tag") or src.get("commit")):
            problems.append("release manifest: a git source without tag or commit")
        if src.get("type") == "archive" and not src.get("sha256"):
            problems.append("release manifest: an archive without sha256")
    if release["id"] != "org.tenantatlas.Operator":
        problems.append("release manifest: id %s" % release["id"])
    if devel["id"] != "org.tenantatlas.Operator.Devel" or \
       "-Dprofile=development" not in devel["modules"][-1].get("config-opts", []):
        problems.append("development manifest: not the .Devel id with the development profile")
    if not any(s.get("type") == "dir" for s in devel["modules"][-1]["sources"]):
        problems.append("development manifest: does not build this checkout (dir source)")

    with open(os.path.join(root, "data", "org.tenantatlas.Operator.metainfo.xml.in")) as f:
        metainfo = f.read()
    images = re.findall(r"<image>([^<]+)</image>", metainfo)
    if not images:
        problems.append("metainfo: no screenshots")
    for url in images:
        m = re.search(r"/docs/screenshots/([^/]+\.png)$", url)
        if not url.startswith("https://") or m is None:
            problems.append("metainfo: %s is not an https URL of docs/screenshots/" % url)
        elif not os.path.exists(os.path.join(root, "docs", "screenshots", m.group(1))):
            problems.append("metainfo: %s names a screenshot this tree does not have" % url)
    print("%d screenshots, %d manifests checked%s" % (len(images), len(manifests),
                                                       "" if tool else " (flatpak-builder not installed)"))
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
