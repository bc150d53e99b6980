"""libvirt-python side of the listing benchmark: list every domain and read its XML, as a
Python tool would. Prints the median of the runs in milliseconds."""
import statistics
import sys
import time

import libvirt

uri, runs = sys.argv[1], int(sys.argv[2])
libvirt.registerErrorHandler(lambda *_: None, None)
conn = libvirt.open(uri)
times = []
count = 0
for _ in range(runs):
    start = time.perf_counter()
    doms = conn.listAllDomains(0)
    for d in doms:
        d.XMLDesc(0)
        d.state()
    count = len(doms)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.2f} {count}")
