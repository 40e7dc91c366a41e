#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the seed corpus of hmap-fuzz (tools/userspace/corpus/).

Each seed is a map's parameters and a sequence of operations, in the
encoding fuzz/hmap_fuzz.c decodes (see run_op() there). Run from
tools/userspace: ./fuzz/mkcorpus.py
"""
import os
import struct

K = {4: 0, 8: 1, 1: 2, 2: 3, 3: 4, 5: 5, 16: 6, 24: 7, 128: 8, 129: 9, 200: 10, 512: 11,
     12: 12, 17: 13}
V = {8: 0, 0: 1, 4: 2, 1: 3, 16: 4, 128: 5, 129: 6, 300: 7, 1000: 8, 65536: 9}


SIPHASH, FAST = 0, 1  # enum hmap_hash: bit 7 of the key size selector


def header(ks, vs, max_entries=None, no_shrink=False, cflags=0, seed=1, hash=SIPHASH):
    m = 0 if max_entries is None else 0xc0 + (max_entries - 1) % 64
    return bytes([K[ks] | hash << 7, V[vs], m, cflags | int(no_shrink)]) + \
        struct.pack('<Q', seed)


def upd(i, gen=1, flags=0):
    return bytes([0]) + struct.pack('<H', i) + bytes([gen - 1, flags])


def dele(i):
    return bytes([5]) + struct.pack('<H', i)


def look(i, value=True):
    return bytes([7 if value else 8]) + struct.pack('<H', i)


def bulk_ins(n, start=0):
    return bytes([9, n // 4]) + struct.pack('<H', start)


def bulk_del(n, start=0):
    return bytes([10, n // 4]) + struct.pack('<H', start)


ITER, SCAN_FULL, RCU = bytes([11]), bytes([14]), bytes([16])
CHECK, CLEAR = bytes([19, 0]), bytes([19, 1])


def iter_part(n):
    return bytes([12, n - 1])


def scan_step(room):
    return bytes([13, room])


def fail(nth, op):
    return bytes([15, nth - 1]) + op


def fail_all(op):
    return bytes([15, 0xf0]) + op


def walk_interleaved(steps):
    """An interleaved walk; steps: bytes the read hook takes."""
    return bytes([20]) + steps


def lookup_interleaved(i, steps):
    return bytes([21]) + struct.pack('<H', i) + steps


def scan_interleaved(steps):
    return bytes([22]) + steps


def hook_update(i, gen=1):
    return bytes([0]) + struct.pack('<H', i) + bytes([gen - 1])


def hook_delete(i):
    return bytes([8]) + struct.pack('<H', i)


def hook_worker(ticks):
    return bytes([12, ticks])


def worker(ticks=60):
    return bytes([17, ticks])


def shrinker(nr=100):
    return bytes([18, nr])


def every_path(ks, vs, hash, seed):
    """Grows, lookups, a shrink, an interleaved walk: one hash, one key size."""
    return header(ks, vs, seed=seed, hash=hash) + bulk_ins(400) + look(3) + look(450) + \
        upd(7, 2, 2) + dele(9) + scan_step(8) + bulk_ins(400, 400) + scan_step(8) + \
        walk_interleaved((hook_update(900) + b'\x01' * 3 + hook_delete(11) +
                          hook_worker(60)) * 4) + \
        bulk_del(760) + worker() + ITER + shrinker() + CHECK


seeds = {
    'basic': header(8, 8) + upd(1) + upd(2) + upd(1, 2, 2) + upd(3, 1, 2) +
    upd(2, 3, 1) + upd(4, 1, 0xf3) + look(1) + look(5) + dele(2) + dele(2) +
    look(2, False) + ITER + SCAN_FULL + CHECK,
    'grow_scan': header(8, 16, seed=7) + bulk_ins(100) + scan_step(8) +
    bulk_ins(200, 100) + scan_step(8) + bulk_ins(400, 300) + scan_step(16) +
    scan_step(16) + iter_part(50) + scan_step(4) + scan_step(4) + ITER +
    scan_step(64) * 8 + CHECK + shrinker(),
    'shrink': header(4, 8, seed=9) + bulk_ins(1000) + worker() + bulk_del(900) +
    scan_step(8) + bulk_del(40, 900) + scan_step(8) + ITER + worker() +
    shrinker() + CHECK + bulk_del(60, 940) + worker() + CHECK,
    'out_of_line': header(200, 300, seed=3) + bulk_ins(200) + bulk_del(100) +
    RCU + bulk_ins(100) + shrinker(10) + ITER + SCAN_FULL + CLEAR + RCU +
    bulk_ins(40) + CHECK,
    'alloc_failures': header(129, 129, seed=5) + bulk_ins(100) +
    fail(1, upd(500)) + fail(2, bulk_ins(64, 100)) + fail(3, dele(5)) +
    fail_all(CLEAR) + fail(1, CLEAR) + fail(2, worker()) + CHECK +
    fail(4, bulk_ins(200, 200)) + worker() + CHECK,
    'max_entries': header(8, 4, max_entries=10) + bulk_ins(20) + upd(3, 2, 2) +
    upd(50, 1, 1) + dele(0) + upd(60) + upd(61) + CHECK,
    'no_shrink_churn': header(16, 8, no_shrink=True, seed=11) +
    (bulk_ins(120, 0) + bulk_del(120, 0) + bulk_ins(120, 200) + bulk_del(120, 200)) * 4 +
    shrinker() + CHECK,
    'create_failures': header(24, 1000, cflags=2 | 4 | (3 << 4)) + bulk_ins(64) + CHECK,
    'big_values': header(4, 65536, seed=13) + bulk_ins(24) + dele(3) + look(4) +
    ITER + SCAN_FULL + CHECK,
    'interleaved': header(8, 8, seed=19) + bulk_ins(400) + walk_interleaved(
        (hook_update(500) + b'\x01' * 3 + hook_delete(3) + hook_worker(60) +
         hook_update(401) + hook_delete(10)) * 6) + bulk_ins(200, 600) +
    lookup_interleaved(5, hook_delete(5) + hook_update(900)) +
    scan_interleaved((hook_update(700) + hook_delete(20) + b'\x01') * 8) + CHECK,
    'tiny_keys': header(1, 1, seed=17) + bulk_ins(256) + bulk_del(128, 64) + ITER +
    scan_step(2) * 20 + CHECK,
    # HMAP_HASH_FAST on each fast path (4, 8, 16) and generic sizes; SipHash
    # on the generic sizes the seeds above do not cover.
    'fast_key4': every_path(4, 8, FAST, 23),
    'fast_key8': every_path(8, 16, FAST, 29),
    'fast_key16': every_path(16, 8, FAST, 31),
    'fast_key12': every_path(12, 0, FAST, 37),
    'fast_key17': every_path(17, 8, FAST, 41),
    'fast_out_of_line': every_path(200, 300, FAST, 43),
    'fast_tiny_keys': header(1, 1, seed=47, hash=FAST) + bulk_ins(256) +
    bulk_del(128, 64) + ITER + CHECK,
    'fast_bad_params': header(16, 8, cflags=2 | 4 | (1 << 4), hash=FAST) + bulk_ins(64) + CHECK,
    'sip_key12': every_path(12, 8, SIPHASH, 53),
    'sip_key17': every_path(17, 8, SIPHASH, 59),
}

os.makedirs('corpus', exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join('corpus', name), 'wb') as f:
        f.write(data)
