// SPDX-License-Identifier: GPL-2.0

// map-go: Go's classic map (map[uint64]uint64, the runtime's hashmap that
// hmap is modelled on) on the keys bench.c gives hmap, rculfhash and
// abseil, with the same phases and the same output lines ("R go <entries>
// <metric> <value>", one set per round); see bench.c. Standard library
// only.
//
// Concurrent readers: the map under a sync.RWMutex, each lookup in
// RLock/RUnlock ("go"): that is what a Go map that can still be written
// needs, which is hmap's and rculfhash's contract (readers never wait for
// a writer). For reference, "go-nolock" is the same shared map read by the
// goroutines with no lock at all, which Go allows only while nobody writes.
// One reader uses no lock (the map is not shared).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	seed      = flag.Uint64("S", 0x5eed0fb0a7c4e11d, "seed of the key sequence")
	reps      = flag.Int("r", 1, "rounds (each prints its figures)")
	lookupOps = flag.Int("l", 1<<21, "lookups per reader and measurement (at least the entries)")
	readers   = flag.Int("t", runtime.NumCPU(), "concurrent readers")
	sizesFlag = flag.String("s", "1024,65536,1048576", "entry counts")
	sink      uint64
	errors    int
)

// splitmix64 of a counter, as bench.c's mix().
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func insertRate(keys []uint64, n int) (float64, map[uint64]uint64) {
	loops := 1
	if n < 65536 {
		loops = 65536 / n
	}
	var total time.Duration
	var m map[uint64]uint64
	for l := 0; l < loops; l++ {
		m = make(map[uint64]uint64)
		t := time.Now()
		for _, k := range keys[:n] {
			m[k] = ^k
		}
		total += time.Since(t)
	}
	return float64(n*loops) / total.Seconds(), m
}

// deleteRate: every key of a full map of n, in insertion order, until it
// is empty; for n < 65536 the delete loops of 65536/n maps, summed.
func deleteRate(keys []uint64, n int) float64 {
	loops := 1
	if n < 65536 {
		loops = 65536 / n
	}
	var total time.Duration
	for l := 0; l < loops; l++ {
		m := make(map[uint64]uint64)
		for _, k := range keys[:n] {
			m[k] = ^k
		}
		t := time.Now()
		for _, k := range keys[:n] {
			delete(m, k)
		}
		total += time.Since(t)
		if len(m) != 0 {
			errors++
		}
	}
	return float64(n*loops) / total.Seconds()
}

// lookups by nt goroutines, each from its own start; ops/s over the whole.
func lookups(m map[uint64]uint64, keys []uint64, n, nt int, miss bool, lock *sync.RWMutex) float64 {
	ks := keys[:n]
	if miss {
		ks = keys[n : 2*n]
	}
	ops := *lookupOps
	if ops < n {
		ops = n
	}
	var wg, ready sync.WaitGroup
	start := make(chan struct{})
	found := make([]int, nt)
	wg.Add(nt)
	ready.Add(nt)
	for g := 0; g < nt; g++ {
		go func(g int) {
			defer wg.Done()
			pos := n * g / nt
			var sum uint64
			f := 0
			ready.Done()
			<-start
			for i := 0; i < ops; i++ {
				var v uint64
				var ok bool
				if lock != nil {
					lock.RLock()
					v, ok = m[ks[pos]]
					lock.RUnlock()
				} else {
					v, ok = m[ks[pos]]
				}
				if ok {
					sum += v
					f++
				}
				pos++
				if pos == n {
					pos = 0
				}
			}
			found[g] = f
			if sum == 1 {
				sink++
			}
		}(g)
	}
	ready.Wait()
	t := time.Now()
	close(start)
	wg.Wait()
	d := time.Since(t)
	for _, f := range found {
		if (miss && f != 0) || (!miss && f != ops) {
			errors++
		}
	}
	return float64(ops*nt) / d.Seconds()
}

func heap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func benchSize(n int) {
	keys := make([]uint64, 2*n)
	for i := range keys {
		keys[i] = mix(*seed + uint64(i))
	}
	var lock sync.RWMutex
	for r := 0; r < *reps; r++ {
		out := func(m, k string, v float64) {
			fmt.Printf("R %s %d %s %.0f\n", m, n, k, v)
		}
		v, m := insertRate(keys, n)
		out("go", "insert", v)
		out("go", "hit1", lookups(m, keys, n, 1, false, nil))
		out("go", "miss1", lookups(m, keys, n, 1, true, nil))
		out("go", "hitT", lookups(m, keys, n, *readers, false, &lock))
		out("go", "missT", lookups(m, keys, n, *readers, true, &lock))
		out("go-nolock", "hitT", lookups(m, keys, n, *readers, false, nil))
		out("go-nolock", "missT", lookups(m, keys, n, *readers, true, nil))
		runtime.KeepAlive(m)
		m = nil
		out("go", "delete", deleteRate(keys, n))
	}

	// bytes per entry: live heap after minus before, collected both times
	before := heap()
	m := make(map[uint64]uint64)
	for _, k := range keys[:n] {
		m[k] = ^k
	}
	after := heap()
	runtime.KeepAlive(m)
	m = nil
	fmt.Printf("R go %d bytes %.1f\n", n, float64(after-before)/float64(n))

	// grow latency, after BenchmarkMapAssignGrowLatency: each insert
	// timed alone, one set of figures per round
	lat := make([]int64, n)
	for r := 0; r < *reps; r++ {
		runtime.GC()
		m := make(map[uint64]uint64)
		for i, k := range keys[:n] {
			t := time.Now()
			m[k] = ^k
			lat[i] = int64(time.Since(t))
		}
		runtime.KeepAlive(m)
		var sum int64
		for _, l := range lat {
			sum += l
		}
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		f := []int64{lat[n/2], lat[int(float64(n)*0.99)], lat[int(float64(n)*0.999)], lat[n-1], sum / int64(n)}
		for i, k := range []string{"lat_p50", "lat_p99", "lat_p999", "lat_max", "lat_mean"} {
			fmt.Printf("R go %d %s %d\n", n, k, f[i])
		}
	}
}

func main() {
	flag.Parse()
	over := time.Duration(1 << 62)
	for i := 0; i < 1000; i++ {
		t := time.Now()
		if d := time.Since(t); d < over {
			over = d
		}
	}
	fmt.Printf("# map-go: %s, GOMAXPROCS %d, seed %#x, reps %d, readers %d, lookups %d\n",
		runtime.Version(), runtime.GOMAXPROCS(0), *seed, *reps, *readers, *lookupOps)
	fmt.Printf("# go timer overhead %d ns\n", over.Nanoseconds())
	for _, s := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "map-go: bad size %q\n", s)
			os.Exit(2)
		}
		benchSize(n)
	}
	fmt.Printf("# go errors %d\n", errors)
	if errors != 0 {
		os.Exit(1)
	}
}
