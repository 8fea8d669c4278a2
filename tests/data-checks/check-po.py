#!/usr/bin/env python3
# check-po.py — every translation in po/LINGUAS is valid, complete and current.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-po.py SOURCE_ROOT [LANG…]     (default: every language in po/LINGUAS)
#
# 1. msgfmt -c --check-format on po/LANG.po as committed;
# 2. a fresh .pot from po/POTFILES.in with xgettext and meson's "glib" preset keywords
#    (.ui, .desktop.in, .metainfo.xml.in and .gschema.xml through xgettext's ITS rules);
# 3. msgmerge LANG.po with that .pot into a temporary file, then msgfmt --statistics:
#    it must report 0 fuzzy and 0 untranslated messages.
# Nothing is written to the source tree. Missing gettext tools make the test skip (77).

import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

# meson's i18n.gettext(preset: 'glib'), plus ngettext (a C default, named for clarity).
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--keyword=ngettext:1,2',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

STATS = re.compile(r'(\d+) (translated|fuzzy|untranslated)')


def run(argv, **kw):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)
    return proc.returncode, proc.stdout


def statistics(msgfmt, po):
    rc, out = run([msgfmt, '-c', '--check-format', '--statistics', '-o', os.devnull, po])
    counts = {'translated': 0, 'fuzzy': 0, 'untranslated': 0}
    for n, kind in STATS.findall(out):
        counts[kind] = int(n)
    return rc, out, counts


def untranslated_ids(po):
    """msgids of fuzzy or empty entries, for a readable failure message."""
    with open(po, encoding='utf-8') as f:
        text = f.read()
    bad = []
    for block in text.split('\n\n'):
        if block.lstrip().startswith('#~'):
            continue
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not m:
            continue
        msgid = ''.join(re.findall(r'"(.*)"', m.group(1)))
        if not msgid:
            continue
        fuzzy = re.search(r'^#,.*\bfuzzy\b', block, re.M) is not None
        strs = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', block, re.M)
        empty = any(''.join(re.findall(r'"(.*)"', s)) == '' for s in strs)
        if fuzzy or empty:
            bad.append(('fuzzy' if fuzzy else 'untranslated', msgid))
    return bad


def main():
    if len(sys.argv) < 2:
        print('usage: check-po.py SOURCE_ROOT [LANG…]', file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    tools = {t: shutil.which(t) for t in ('xgettext', 'msgmerge', 'msgfmt')}
    missing = [t for t, p in tools.items() if p is None]
    if missing:
        print('%s not found; install gettext (tools/bootstrap) — skipping' % ', '.join(missing))
        return SKIP

    langs = sys.argv[2:]
    if not langs:
        with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
            for line in f:
                langs += line.split('#', 1)[0].split()
    failed = False

    with tempfile.TemporaryDirectory(prefix='atlas-po-') as tmp:
        pot = os.path.join(tmp, 'messages.pot')
        rc, out = run([tools['xgettext'], '--package-name=tenantatlas-operator',
                       '-D', root, '--files-from=' + os.path.join(root, 'po', 'POTFILES.in'),
                       '-o', pot] + XGETTEXT_ARGS)
        if rc != 0 or not os.path.exists(pot):
            print('FAIL: xgettext could not build the template:\n' + out)
            return 1
        if out.strip():
            print('# xgettext:\n' + out)
        with open(pot, encoding='utf-8') as f:
            n_msgids = len(re.findall(r'^msgid ', f.read(), re.M)) - 1
        print('# template: %d messages' % n_msgids)

        for lang in langs:
            po = os.path.join(root, 'po', lang + '.po')
            if not os.path.exists(po):
                print('FAIL: %s: po/%s.po does not exist' % (lang, lang))
                failed = True
                continue

            rc, out, _ = statistics(tools['msgfmt'], po)
            if rc != 0:
                print('FAIL: %s: msgfmt -c --check-format po/%s.po:\n%s' % (lang, lang, out))
                failed = True
                continue

            merged = os.path.join(tmp, lang + '.po')
            rc, out = run([tools['msgmerge'], '--quiet', '--no-wrap', '-o', merged, po, pot])
            if rc != 0:
                print('FAIL: %s: msgmerge:\n%s' % (lang, out))
                failed = True
                continue
            rc, out, counts = statistics(tools['msgfmt'], merged)
            print('# %s: %s' % (lang, out.strip().splitlines()[-1] if out.strip() else '?'))
            if rc != 0:
                print('FAIL: %s: msgfmt -c --check-format on the merged file:\n%s' % (lang, out))
                failed = True
            elif counts['fuzzy'] or counts['untranslated']:
                print('FAIL: %s: %d fuzzy, %d untranslated against the current sources'
                      % (lang, counts['fuzzy'], counts['untranslated']))
                for kind, msgid in untranslated_ids(merged):
                    print('  %s: "%s"' % (kind, msgid))
                failed = True
            else:
                print('PASS: %s: %d translated, 0 fuzzy, 0 untranslated'
                      % (lang, counts['translated']))

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
