"""libvirt-python side of the statistics benchmark. Prints four medians in milliseconds, then the
domain count:
  bulk     getAllDomainStats: one bulk call for every domain;
  admin    the per-domain loop of a monitoring script: listAllDomains, then per domain info(),
           and for an active one (running or paused) its XML (to find disks and NICs), blockStats() per disk,
           interfaceStats() per NIC, memoryStats() and vcpus();
  one      the bulk call's statistics asked one domain at a time (domainListGetStats([dom]));
  classic  the short loop: info(), and for a running domain memoryStats() and vcpus();
  rtt      one round trip to the daemon (getLibVersion), the median of 50, in milliseconds."""
import statistics
import sys
import time
import xml.etree.ElementTree as ET

import libvirt

uri, runs = sys.argv[1], int(sys.argv[2])
libvirt.registerErrorHandler(lambda *_: None, None)
conn = libvirt.open(uri)


def median(fn):
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


count = len(conn.getAllDomainStats(0))
bulk = median(lambda: conn.getAllDomainStats(0))


def admin():
    result = {}
    for d in conn.listAllDomains(0):
        info = d.info()
        stats = {"info": info}
        if info[0] in (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_BLOCKED):
            root = ET.fromstring(d.XMLDesc(0))
            for t in root.findall("./devices/disk/target"):
                try:
                    stats["blk." + t.get("dev")] = d.blockStats(t.get("dev"))
                except libvirt.libvirtError:
                    pass
            for t in root.findall("./devices/interface/target"):
                try:
                    stats["net." + t.get("dev")] = d.interfaceStats(t.get("dev"))
                except libvirt.libvirtError:
                    pass
            stats["mem"] = d.memoryStats()
            stats["vcpus"] = d.vcpus()
        result[d.name()] = stats
    return result


def one_at_a_time():
    for d in conn.listAllDomains(0):
        conn.domainListGetStats([d], 0)


def classic():
    for d in conn.listAllDomains(0):
        d.info()
        if d.isActive():
            d.memoryStats()
            d.vcpus()


def round_trip():
    times = []
    for _ in range(50):
        start = time.perf_counter()
        conn.getLibVersion()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


print(f"{bulk:.2f} {median(admin):.2f} {median(one_at_a_time):.2f} {median(classic):.2f} {count} {round_trip():.3f}")
