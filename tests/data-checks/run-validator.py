#!/usr/bin/env python3
# run-validator.py — run one of the data validators and hold it to "no errors, no warnings".
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   run-validator.py desktop-file-validate TOOL FILE
#   run-validator.py appstreamcli          TOOL FILE
#   run-validator.py glib-compile-schemas  TOOL DIR
#
# TOOL is the path meson found, or "" when it was not found: the test then skips (77).
# The tools' own exit codes let warnings through (desktop-file-validate, appstreamcli),
# so their output is read as well.

import re
import subprocess
import sys

SKIP = 77


def run(argv):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    sys.stdout.write('$ ' + ' '.join(argv) + '\n' + proc.stdout)
    return proc.returncode, proc.stdout


def main():
    if len(sys.argv) != 4:
        print(__doc__ or 'usage: run-validator.py KIND TOOL FILE', file=sys.stderr)
        return 2
    kind, tool, target = sys.argv[1:]
    if not tool:
        print('%s not found; install it (tools/bootstrap) — skipping' % kind)
        return SKIP

    if kind == 'desktop-file-validate':
        rc, out = run([tool, target])
        # It prints only problems ("FILE: error|warning|hint: …"); hold it to silence, as
        # a hint such as "no registered main category" hides the app in some menus.
        bad = [l for l in out.splitlines() if l.strip()]
    elif kind == 'appstreamcli':
        rc, out = run([tool, 'validate', '--no-net', '--explain', target])
        # Issue lines start with a severity letter: E error, W warning, I info, P pedantic.
        bad = [l for l in out.splitlines() if re.match(r'^[EW]: ', l)]
    elif kind == 'glib-compile-schemas':
        rc, out = run([tool, '--strict', '--dry-run', target])
        bad = []
    else:
        print('unknown validator %r' % kind, file=sys.stderr)
        return 2

    if rc != 0:
        print('FAIL: %s exited with %d' % (kind, rc))
        return 1
    if bad:
        print('FAIL: %d error(s)/warning(s) from %s:' % (len(bad), kind))
        for line in bad:
            print('  ' + line)
        return 1
    print('PASS: %s' % kind)
    return 0


if __name__ == '__main__':
    sys.exit(main())
