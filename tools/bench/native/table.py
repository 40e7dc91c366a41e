#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the "R <map> <entries> <metric> <value>" lines of bench-native and
map-go (stdin) into the tables of tools/bench/results/native.txt (stdout).
Header lines ("# ...") are passed through."""
import sys

vals = {}
notes = []
for line in sys.stdin:
    f = line.split()
    if line.startswith('#'):
        notes.append(line.rstrip())
    elif len(f) == 5 and f[0] == 'R':
        vals[(f[1], int(f[2]), f[3])] = float(f[4])
readers = int(vals.get(('hmap', 0, 'readers'), 2))
sizes = sorted({k[1] for k in vals if k[1] > 0})


def get(m, n, k):
    return vals.get((m, n, k))


def ratio(a, b):
    return '%.2f' % (a / b) if a and b else '-'


def num(v, fmt='%.0f'):
    return fmt % v if v is not None else '-'


out = []
out += notes
out.append('')
out.append('Throughput (ops/s, best of the reps; ratio > 1: hmap faster).')
out.append('go, %d readers: the map under sync.RWMutex (RLock per lookup), '
           'which a Go map' % readers)
out.append('that may still be written needs; go-nolock: the same map shared '
           'with no lock')
out.append('(legal in Go only while nobody writes), for reference.')
ops = [('insert', 'insert (grow from empty)'),
       ('hit1', 'lookup hit, 1 reader'),
       ('miss1', 'lookup miss, 1 reader'),
       ('hitT', 'lookup hit, %d readers' % readers),
       ('missT', 'lookup miss, %d readers' % readers)]
out.append('%8s  %-26s %12s %12s %12s %12s %8s %8s' %
           ('entries', 'operation', 'hmap', 'go', 'rculfhash', 'go-nolock',
            'hmap/go', 'hmap/lfht'))
for n in sizes:
    for k, name in ops:
        h, g, l = get('hmap', n, k), get('go', n, k), get('rculfhash', n, k)
        gn = get('go-nolock', n, k)
        out.append('%8d  %-26s %12s %12s %12s %12s %8s %8s' %
                   (n, name, num(h), num(g), num(l), num(gn), ratio(h, g),
                    ratio(h, l)))
out.append('')
out.append('Bytes per entry (lower is better; ratio < 1: hmap smaller).')
out.append('hmap: hmap_get_info().memory / count; hmap-malloc and rculfhash: '
           'malloc heap in use')
out.append('(mallinfo2 uordblks + hblkhd) after minus before; go: '
           'runtime.MemStats.HeapAlloc')
out.append('after minus before, each after runtime.GC(). hmap/go uses hmap, '
           'hmap/lfht uses hmap-malloc.')
out.append('%8s  %10s %12s %10s %10s %8s %8s' %
           ('entries', 'hmap', 'hmap-malloc', 'go', 'rculfhash', 'hmap/go',
            'hmap/lfht'))
for n in sizes:
    h, hm = get('hmap', n, 'bytes'), get('hmap', n, 'bytes_malloc')
    g, l = get('go', n, 'bytes'), get('rculfhash', n, 'bytes_malloc')
    out.append('%8d  %10s %12s %10s %10s %8s %8s' %
               (n, num(h, '%.1f'), num(hm, '%.1f'), num(g, '%.1f'),
                num(l, '%.1f'), ratio(h, g), ratio(hm, l)))
out.append('')
out.append('Insert latency while growing from empty (ns; each insert timed '
           'alone, timer')
out.append('overhead included; each figure the lowest over the reps; '
           'ratio < 1: hmap lower)')
lat = ['lat_p50', 'lat_p99', 'lat_p999', 'lat_max', 'lat_mean']
out.append('%8s  %-12s %10s %10s %10s %12s %10s' %
           ('entries', 'map', 'p50', 'p99', 'p99.9', 'max', 'mean'))
for n in sizes:
    for m in ('hmap', 'go', 'rculfhash'):
        out.append('%8d  %-12s %10s %10s %10s %12s %10s' %
                   ((n, m) + tuple(num(get(m, n, k)) for k in lat)))
    for m, lab in (('go', 'hmap/go'), ('rculfhash', 'hmap/lfht')):
        out.append('%8d  %-12s %10s %10s %10s %12s %10s' %
                   ((n, lab) + tuple(ratio(get('hmap', n, k), get(m, n, k))
                                     for k in lat)))
print('\n'.join(out))
