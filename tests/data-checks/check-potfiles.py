#!/usr/bin/env python3
# check-potfiles.py — po/POTFILES.in lists every file with translatable strings, and
# only files that exist.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-potfiles.py SOURCE_ROOT
#
# Scans src/ and data/. A file "has translatable strings" when it is
#   C (.c/.h)            a call to _(), N_(), C_(), NC_(), Q_(), ngettext(), g_dngettext(),
#                        g_dpgettext2() or g_dcgettext()
#   GtkBuilder (.ui)     an element with translatable="yes" (or true/1)
#   desktop entry        always (*.desktop.in: Name, Comment, Keywords…)
#   AppStream metainfo   always (*.metainfo.xml.in, *.appdata.xml.in)
#   GSettings schema     a <summary> or <description> (*.gschema.xml)

import os
import re
import sys

C_CALL = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(')
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(yes|true|1)"')
SCHEMA_TEXT = re.compile(r'<(summary|description)\b')
SCAN_DIRS = ('src', 'data')


def strip_c_comments(text):
    # A "_(" in a comment is not a string for translators.
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def has_translatable(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith(('.c', '.h')):
        return C_CALL.search(strip_c_comments(text)) is not None
    if name.endswith('.ui'):
        return UI_TRANSLATABLE.search(text) is not None
    if name.endswith('.desktop.in'):
        return True
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return True
    if name.endswith('.gschema.xml'):
        return SCHEMA_TEXT.search(text) is not None
    return False


def read_potfiles(path):
    entries = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # "[type: gettext/glade]path" is the intltool spelling; take the path.
            line = re.sub(r'^\[[^]]*\]\s*', '', line)
            entries.append((lineno, line))
    return entries


def main():
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    potfiles_in = os.path.join(root, 'po', 'POTFILES.in')
    entries = read_potfiles(potfiles_in)
    listed = {}
    problems = []

    for lineno, rel in entries:
        if rel in listed:
            problems.append('POTFILES.in:%d: %s is listed twice' % (lineno, rel))
        listed[rel] = lineno
        if not os.path.isfile(os.path.join(root, rel)):
            problems.append('POTFILES.in:%d: %s does not exist' % (lineno, rel))

    found = []
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if has_translatable(path):
                    found.append(os.path.relpath(path, root))

    for rel in found:
        if rel not in listed:
            problems.append('%s has translatable strings but is missing from po/POTFILES.in' % rel)

    print('# %d file(s) with translatable strings, %d listed in po/POTFILES.in'
          % (len(found), len(entries)))
    if problems:
        for p in problems:
            print('FAIL: ' + p)
        return 1
    print('PASS: po/POTFILES.in is complete')
    return 0


if __name__ == '__main__':
    sys.exit(main())
