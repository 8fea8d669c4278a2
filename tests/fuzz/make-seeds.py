#!/usr/bin/env python3
# make-seeds.py — writes the hand-made seeds of corpus/json-model/ (seed-*.json)
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/fuzz/make-seeds.py [CORPUS_DIR]
# Seeds come from the test fixtures (tests/data/*.json) plus hostile bodies. Inputs
# the fuzzer found are merged next to them under their SHA-1 names (docs/fuzzing.md).
# Re-running only rewrites seed-* files.

import copy
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'tests', 'fuzz', 'corpus', 'json-model')


def load(name):
    with open(os.path.join(ROOT, 'tests', 'data', name), encoding='utf-8') as f:
        return json.load(f)


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(',', ':')).encode('utf-8')


seeds = {}


def seed(name, body):
    if isinstance(body, str):
        body = body.encode('utf-8')
    elif not isinstance(body, bytes):
        body = compact(body)
    assert len(body) < 64 * 1024, name
    seeds['seed-' + name + '.json'] = body


runs = {c['name']: c['run'] for c in load('presenter-cases.json')['cases']}
packs = {c['name']: c['review_pack'] for c in load('review-pack-cases.json')['cases']
         if c['review_pack'] is not None}

# --- the fixtures, as the API wraps them --------------------------------------------
for name, run in runs.items():
    seed('run-' + name, {'data': run})
for name, pack in packs.items():
    seed('pack-' + name, {'data': pack})
seed('run-bare', runs['running-fresh-determinate'])
seed('pack-none', {'data': None})

tenant = {'id': 7, 'name': 'Contoso Ltd', 'active_count': 2, 'stale_active_count': 1,
          'failed_recent_count': 0, 'needs_attention': True,
          'last_activity_at': '2026-11-22T10:01:10Z'}
quiet = {'id': 8, 'name': 'Fabrikam', 'active_count': 0, 'stale_active_count': 0,
         'failed_recent_count': 3, 'needs_attention': False, 'last_activity_at': None}

seed('list-page', {
    'data': [runs['queued-fresh'], runs['running-likely-stale'], runs['failed']],
    'meta': {'per_page': 3, 'next_cursor': 'eyJpZCI6MTAwfQ', 'total': 42},
    'links': {'next': '/api/v1/workspaces/1/operations?cursor=eyJpZCI6MTAwfQ'},
})
seed('list-empty', {'data': [], 'meta': {'per_page': 25, 'next_cursor': None}})
seed('overview', {'data': {'workspace': {'id': 1, 'name': 'Atlas'},
                           'tenants': [tenant, quiet]}})
seed('dashboard', {'data': {
    'tenant': tenant,
    'recent_operations': [runs['running-fresh-determinate'], runs['succeeded'],
                          runs['partially-succeeded']],
    'needs_attention': [runs['reconciled'], runs['queued-likely-stale']],
    'review_pack': packs['ready'],
}})
seed('dashboard-no-pack', {'data': {'tenant': quiet, 'recent_operations': [],
                                    'needs_attention': [], 'review_pack': None}})

# The same run twice in one body: atlas_run_update_from between the two.
queued = copy.deepcopy(runs['queued-fresh'])
done = copy.deepcopy(runs['succeeded'])
done['id'] = queued['id']
seed('list-same-id', {'data': [queued, done, runs['reconciled']]})

# --- edges of the model ---------------------------------------------------------------
base = runs['running-fresh-determinate']


def variant(name, **changes):
    run = copy.deepcopy(base)
    for key, value in changes.items():
        if value is KeyError:
            run.pop(key, None)
        else:
            run[key] = value
    seed('run-' + name, {'data': run})


variant('id-missing', id=KeyError)
variant('id-zero', id=0)
variant('id-negative', id=-5)
variant('id-max', id=9223372036854775807)
variant('id-double', id=1e15)
variant('id-string', id='102')
variant('status-number', status=2)
variant('status-unknown', status='paused')
variant('counts-array', summary_counts=[1, 2])
variant('counts-huge', summary_counts={'total': 9223372036854775807, 'processed': 9223372036854775807})
variant('counts-over', summary_counts={'total': 1, 'processed': 9007199254740992})
variant('counts-negative', summary_counts={'total': -1, 'processed': -1, 'failed': -3})
variant('counts-zero-total', summary_counts={'total': 0, 'processed': 0})
variant('counts-doubles', summary_counts={'total': 120.0, 'processed': 45.5, 'items': 1e300})
variant('counts-strings', summary_counts={'total': '120', 'processed': None, 'bogus': 1})
variant('failures-not-objects', failure_summary=['boom'])
variant('failures-many', failure_summary=[{'reason_code': 'r%d' % i, 'message': 'm'} for i in range(25)])
variant('failures-types', failure_summary=[{'reason_code': 1, 'message': 'x'}])
variant('created-number', created_at=1795343590)
variant('created-date-only', created_at='2026-11-22')
variant('created-no-offset', created_at='2026-11-22T10:33:05')
variant('created-year-one', created_at='0001-01-01T00:00:00+01:00', started_at=None)
variant('created-year-9999', created_at='9999-12-31T23:59:59-01:00', started_at='9999-12-31T23:59:59Z')
variant('created-fraction', created_at='2026-11-22T10:33:05.999999999Z', started_at='2026-11-22t10:33:06z')
variant('created-leap-second', created_at='2016-12-31T23:59:60Z')
variant('window-huge', lifecycle_window_seconds=9223372036854775807, freshness='likely_stale')
variant('window-negative', lifecycle_window_seconds=-9223372036854775808, freshness='likely_stale')
variant('initiator-string', initiator='Dana')
variant('reconciliation-types', reconciliation={'reconciled_at': 5, 'reason_code': []})
variant('links-web-number', links={'web': 1})
variant('stale-no-times', freshness='likely_stale', created_at=None, started_at=None, last_progress_at=None)
variant('completed-reversed', status='completed', outcome='succeeded',
        started_at='2026-11-22T10:33:05Z', completed_at='2001-01-01T00:00:00Z')
variant('enums-unknown', outcome='exploded', freshness='ancient', problem_class='mystery')
variant('enum-empty', status='', outcome='', freshness='')

# Regression seeds of reported findings (docs/fuzzing.md).
seed('regress-now-overflow', {'data': {'id': 1, 'status': 'running', 'freshness': 'likely_stale',
                                       'created_at': '2026-11-22T10:33:05Z'}})
seed('regress-timestamp-year-999', {'data': {'id': 1, 'status': 'completed',
                                             'created_at': '0999-12-31T23:59:59Z'}})

seed('pack-types', {'data': {'id': 4, 'status': 3, 'file_size': 'big'}})
seed('pack-huge-size', {'data': {'id': 4, 'status': 'ready', 'file_size': 9223372036854775807,
                                  'generated_at': '9999-12-31T23:59:59Z'}})
seed('pack-negative-size', {'data': {'id': 4, 'status': 'ready', 'file_size': -7,
                                      'generated_at': '0001-01-01T00:00:00Z'}})
seed('tenant-negative', {'data': {'tenants': [{'id': 7, 'active_count': -2}, {'id': 'x'}]}})

# --- hostile bodies -------------------------------------------------------------------
for depth in (63, 64, 65):
    seed('deep-array-%d' % depth, '[' * depth + ']' * depth)
    seed('deep-object-%d' % depth, '{"a":' * (depth - 1) + '{}' + '}' * (depth - 1))
    seed('deep-data-%d' % depth, '{"data":' + '[' * (depth - 1) + '{"id":1}' + ']' * (depth - 1) + '}')
seed('deep-unclosed', '[' * 1000)

seed('dup-top', '{"data":{"id":1},"data":{"id":2}}')
seed('dup-nested', '{"data":{"id":1,"status":"queued","status":"completed"}}')
seed('dup-escaped', '{"data":{"id":1,"\\u0069d":2}}')
seed('dup-many-keys', '{' + ','.join('"k%d":%d' % (i, i) for i in range(40)) + ',"k39":0}')
seed('many-keys', '{"data":{"id":9,' + ','.join('"k%d":%d' % (i, i) for i in range(300)) + '}}')
seed('dup-sibling-ok', '{"data":[{"id":1},{"id":1}],"meta":{"id":1}}')

seed('num-int-max', '{"data":{"id":9223372036854775807}}')
seed('num-int-over', '{"data":{"id":9223372036854775808}}')
seed('num-int-under', '{"data":{"id":-9223372036854775809}}')
seed('num-double-over', '{"data":{"id":1e400}}')
seed('num-double-neg-over', '[-1.7976931348623159e308]')
seed('num-double-max', '[1.7976931348623157e308,-1.7976931348623157e308]')
seed('num-underflow', '{"data":{"id":1,"lifecycle_window_seconds":1e-400}}')
seed('num-2pow53', '{"data":{"id":9007199254740993.0,"workspace_id":9007199254740992.0}}')
seed('num-long-digits', '{"data":{"id":1' + '0' * 200 + '}}')
seed('num-long-fraction', '{"data":{"id":1.' + '0' * 300 + '}}')
seed('num-malformed', '[01, -, 1., .5, 1e, +1]')
seed('num-neg-zero', '{"data":{"id":-0,"tenant_id":-0.0}}')

seed('utf8-ff', b'{"data":{"id":1,"tenant_name":"\xff"}}')
seed('utf8-overlong', b'{"data":{"id":1,"tenant_name":"\xc0\x80"}}')
seed('utf8-continuation', b'{"data":{"id":1,"tenant_name":"\x80abc"}}')
seed('utf8-truncated', b'{"data":{"id":1,"tenant_name":"\xe2\x82"}}')
seed('utf8-surrogate-bytes', b'{"data":{"id":1,"tenant_name":"\xed\xa0\x80"}}')
seed('utf8-nul', b'{"data":{"id":1,"tenant_name":"a\x00b"}}')
seed('utf8-bom', b'\xef\xbb\xbf{"data":{"id":1}}')
seed('utf8-valid', '{"data":{"id":1,"tenant_name":"Zürich 東京 🚀","status":"running"}}')

seed('esc-pair', '{"data":{"id":1,"tenant_name":"\\ud83d\\ude80"}}')
seed('esc-lone-high', '{"data":{"id":1,"tenant_name":"\\ud83d"}}')
seed('esc-lone-low', '{"data":{"id":1,"tenant_name":"\\ude80"}}')
seed('esc-high-high', '{"data":{"id":1,"tenant_name":"\\ud83d\\ud83d"}}')
seed('esc-high-end', '{"data":{"id":1,"tenant_name":"\\ud83d')
seed('esc-nul', '{"data":{"id":1,"tenant_name":"\\u0000"}}')
seed('esc-bad', '{"data":{"id":1,"tenant_name":"\\x41\\u12G4"}}')
seed('esc-all', '{"data":{"id":1,"tenant_name":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"}}')
seed('ctrl-in-string', '{"data":{"id":1,"tenant_name":"a\tb"}}')

full = compact({'data': base})
for cut in (1, 9, len(full) // 3, len(full) // 2, len(full) - 2, len(full) - 1):
    seed('truncated-%d' % cut, full[:cut])
seed('trailing-garbage', full + b' x')
seed('two-documents', full + full)
seed('empty', b'')
seed('whitespace', ' \n\t\r ')
seed('null', 'null')
seed('literals', '[true,false,null,tru,nul]')
seed('array-root', '[{"id":1,"status":"queued"},{"id":2,"status":"ready"},3,"x",null]')
seed('data-string', '{"data":"run"}')
seed('data-null', '{"data":null}')
seed('data-array-of-arrays', '{"data":[[{"id":1}]]}')
seed('comment', '{"data":{"id":1}} /* x */')
seed('single-quotes', "{'data':{'id':1}}")
seed('unquoted-key', '{data:{id:1}}')
seed('trailing-comma', '{"data":{"id":1,}}')

os.makedirs(OUT, exist_ok=True)
for old in os.listdir(OUT):
    if old.startswith('seed-'):
        os.unlink(os.path.join(OUT, old))
for name, body in sorted(seeds.items()):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(body)
print('%d seeds in %s' % (len(seeds), OUT))
