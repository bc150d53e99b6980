"""libvirt-python side of the statistics benchmark. Prints three medians in milliseconds:
getAllDomainStats (one bulk call for every domain), a per-domain loop asking libvirt the same
statistics one domain at a time (domainListGetStats([dom])), and the classic per-domain loop of a
monitoring script (info(), and for a running domain memoryStats() and vcpus()), then the count."""
import statistics
import sys
import time

import libvirt

uri, runs = sys.argv[1], int(sys.argv[2])
libvirt.registerErrorHandler(lambda *_: None, None)
conn = libvirt.open(uri)


def median(fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


count = len(conn.getAllDomainStats(0))
bulk = median(lambda: conn.getAllDomainStats(0))


def per_domain():
    for d in conn.listAllDomains(0):
        conn.domainListGetStats([d], 0)


def classic():
    for d in conn.listAllDomains(0):
        d.info()
        if d.isActive():
            d.memoryStats()
            d.vcpus()


loop = median(per_domain)
old = median(classic)
print(f"{bulk:.2f} {loop:.2f} {old:.2f} {count}")
