#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the "R <map> <entries> <metric> <value>" lines of bench-native and
map-go (stdin; one line per figure and round, the rounds of
tools/bench/run-native interleaved) into the tables of
tools/bench/results/native.txt (stdout): every figure is the median over
its rounds. Header lines ("# ...") are passed through, once each."""
import statistics
import sys

vals = {}
notes = []
for line in sys.stdin:
    f = line.split()
    if line.startswith('#'):
        if line.rstrip() not in notes:
            notes.append(line.rstrip())
    elif len(f) == 5 and f[0] == 'R':
        vals.setdefault((f[1], int(f[2]), f[3]), []).append(float(f[4]))
readers = int(vals.get(('meta', 0, 'readers'), [2])[0])
sizes = sorted({k[1] for k in vals if k[1] > 0})
rounds = max((len(v) for k, v in vals.items() if k[0] != 'meta'), default=0)


def get(m, n, k):
    v = vals.get((m, n, k))
    return statistics.median(v) if v else None


def ratio(a, b):
    return '%.2f' % (a / b) if a and b else '-'


def num(v, fmt='%.0f'):
    return fmt % v if v is not None else '-'


out = list(notes)
out.append('')
out.append('Throughput (ops/s, the median of %d interleaved rounds; ratio > 1: '
           'hmap faster than Go).' % rounds)
out.append('hmap-sip: SipHash (the default hash); hmap-fast: HMAP_HASH_FAST. '
           'go, %d readers: the' % readers)
out.append('map under sync.RWMutex (RLock per lookup), which a Go map that may '
           'still be written')
out.append('needs; go-nolock: the same map shared with no lock (legal in Go '
           'only while nobody')
out.append('writes). abseil (absl::flat_hash_map) is single-threaded: 1 '
           'reader only. delete: every')
out.append('key of a full map, until it is empty.')
ops = [('insert', 'insert (grow from empty)'),
       ('hit1', 'lookup hit, 1 reader'),
       ('miss1', 'lookup miss, 1 reader'),
       ('hitT', 'lookup hit, %d readers' % readers),
       ('missT', 'lookup miss, %d readers' % readers),
       ('delete', 'delete (to empty)')]
maps = ['hmap-sip', 'hmap-fast', 'go', 'go-nolock', 'rculfhash', 'abseil']
fmt = '%8s  %-25s' + ' %11s' * len(maps) + ' %8s %8s'
out.append(fmt % (('entries', 'operation') + tuple(maps) +
                  ('fast/go', 'sip/go')))
for n in sizes:
    for k, name in ops:
        v = [get(m, n, k) for m in maps]
        out.append(fmt % ((n, name) + tuple(num(x) for x in v) +
                          (ratio(v[1], v[2]), ratio(v[0], v[2]))))
out.append('')
out.append('Bytes per entry (lower is better). hmap-sip, hmap-fast: '
           'hmap_get_info().memory / count;')
out.append('hmap-malloc (hmap-fast), rculfhash, abseil: malloc heap in use '
           '(mallinfo2 uordblks')
out.append('+ hblkhd) after minus before; go: runtime.MemStats.HeapAlloc '
           'after minus before,')
out.append('each after runtime.GC().')
bmaps = [('hmap-sip', 'bytes'), ('hmap-fast', 'bytes'),
         ('hmap-fast', 'bytes_malloc'), ('go', 'bytes'),
         ('rculfhash', 'bytes_malloc'), ('abseil', 'bytes_malloc')]
fmt = '%8s ' + ' %11s' * len(bmaps) + ' %8s'
out.append(fmt % (('entries', 'hmap-sip', 'hmap-fast', 'hmap-malloc', 'go',
                   'rculfhash', 'abseil', 'fast/go')))
for n in sizes:
    v = [get(m, n, k) for m, k in bmaps]
    out.append(fmt % ((n,) + tuple(num(x, '%.1f') for x in v) +
                      (ratio(v[1], v[3]),)))
out.append('')
out.append('Insert latency while growing from empty (ns; each insert timed '
           'alone, timer overhead')
out.append('included; the median over the rounds; ratio < 1: hmap lower)')
lat = ['lat_p50', 'lat_p99', 'lat_p999', 'lat_max', 'lat_mean']
fmt = '%8s  %-12s %10s %10s %10s %12s %10s'
out.append(fmt % ('entries', 'map', 'p50', 'p99', 'p99.9', 'max', 'mean'))
for n in sizes:
    for m in ('hmap-sip', 'hmap-fast', 'go', 'rculfhash', 'abseil'):
        out.append(fmt % ((n, m) + tuple(num(get(m, n, k)) for k in lat)))
    for m, lab in (('hmap-fast', 'fast/go'), ('hmap-sip', 'sip/go')):
        out.append(fmt % ((n, lab) + tuple(ratio(get(m, n, k), get('go', n, k))
                                           for k in lat)))
print('\n'.join(out))
