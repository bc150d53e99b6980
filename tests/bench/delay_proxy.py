"""A unix-socket relay that delays every chunk by a fixed time in each direction: a libvirt daemon
reached through it behaves, for round trips, like one on another host at that latency. It needs no
network (this machine has no netem), so the statistics benchmark can show what a per-domain loop
costs against the bulk call when every call is a round trip over a link.

    python3 delay_proxy.py <listen socket> <daemon socket> <one-way delay in ms>

Order is kept per direction: each chunk is written once its time has come, in the order read.
Threads and time.sleep (a nanosleep) rather than an event loop, whose timers round to whole
milliseconds. Prints "ready" on stdout once it listens; ends on SIGTERM."""
import os
import queue
import signal
import socket
import sys
import threading
import time

listen_path, target_path, delay = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000.0


def relay(source, sink):
    pending = queue.Queue()

    def reader():
        while True:
            try:
                data = source.recv(1 << 16)
            except OSError:
                data = b""
            pending.put((time.monotonic() + delay, data))
            if not data:
                return

    def writer():
        while True:
            due, data = pending.get()
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if not data:
                try:
                    sink.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    for work in (reader, writer):
        threading.Thread(target=work, daemon=True).start()


def main():
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    server.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: (os.unlink(listen_path), os._exit(0)))
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        daemon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            daemon.connect(target_path)
        except OSError:
            client.close()
            continue
        relay(client, daemon)
        relay(daemon, client)


main()
