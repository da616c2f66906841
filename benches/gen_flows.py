#!/usr/bin/env python3
"""Random `vastplan flows` instance shaped like issue #17's: leaf-spine links, routes of 1-5
links, sizes log-uniform 1e5..2e10 B, a third of the flows starting at t = 0 and the rest
uniform over 2 s.

    python3 benches/gen_flows.py FLOWS LINKS SEED OUTDIR   # writes OUTDIR/links.csv, flows.csv

Links: per host a NIC up and a NIC down (12.5 GB/s), per (leaf, spine) an uplink and a
downlink (50 GB/s); hosts per leaf = 4 x spines, so 2·H + 2·L·S = LINKS (rounded).
"""
import math
import os
import random
import sys

n_flows, n_links, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
# L leaves, S spines, 4S hosts per leaf: links = 2·L·4S + 2·L·S = 10·L·S.
spines = max(1, round(math.sqrt(n_links / 10 / 4)))
leaves = max(2, round(n_links / 10 / spines))
hpl = 4 * spines
hosts = leaves * hpl
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "links.csv"), "w") as f:
    f.write("id,bandwidth_bytes_per_s,latency_s\n")
    for h in range(hosts):
        f.write(f"u{h},12.5e9,0\nd{h},12.5e9,0\n")
    for l in range(leaves):
        for s in range(spines):
            f.write(f"lu{l}_{s},50e9,0\nld{l}_{s},50e9,0\n")
with open(os.path.join(out, "flows.csv"), "w") as f:
    f.write("id,start_s,size_bytes,route\n")
    for i in range(n_flows):
        start = 0.0 if rng.random() < 1 / 3 else rng.uniform(0.0, 2.0)
        size = 10 ** rng.uniform(5.0, math.log10(2e10))
        hops = rng.randint(1, 5)
        src = rng.randrange(hosts)
        dst = rng.randrange(hosts)
        ls, ld = src // hpl, dst // hpl
        s, s2 = rng.randrange(spines), rng.randrange(spines)
        if hops == 1:
            route = [f"u{src}"]
        elif hops == 2:
            route = [f"u{src}", f"d{dst}"]
        elif hops == 3:
            route = [f"u{src}", f"lu{ls}_{s}", f"d{dst}"]
        elif hops == 4:
            route = [f"u{src}", f"lu{ls}_{s}", f"ld{ld}_{s}", f"d{dst}"]
        else:
            # A detour through a second spine (e.g. a failover path).
            route = [f"u{src}", f"lu{ls}_{s}", f"ld{ld}_{s}", f"lu{ld}_{s2}", f"d{dst}"]
        if hops == 5 and s2 == s:
            route[3] = f"lu{ld}_{(s2 + 1) % spines}" if spines > 1 else route[3]
        f.write(f"f{i},{start!r},{size:.6g},{' '.join(route)}\n")
