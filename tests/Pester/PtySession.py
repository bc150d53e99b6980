"""Runs a program on a new pseudo-terminal and holds a conversation with it, as a person at a
terminal would: the steps (JSON, argv[1]) are {"expect": regex, "timeout": seconds} to wait for
output, and {"send": text} to type (\\r for Enter, \\u001d for Ctrl+]). The program is argv[2:].
Prints one JSON object: ok, the failed step's index (or null), the exit code, the transcript."""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

steps = json.loads(sys.argv[1])
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execvp(argv[0], argv)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
out = b""
seen = 0  # where the next expect starts looking


def read_some(wait):
    global out
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    out += data
    # Answer a cursor-position query (busybox ash and PSReadLine send ESC[6n) as a terminal does.
    if b"\x1b[6n" in data:
        os.write(fd, b"\x1b[1;1R")
    return True


failed = None
for i, step in enumerate(steps):
    if "send" in step:
        for ch in step["send"]:
            os.write(fd, ch.encode())
            time.sleep(0.02)  # typed, not pasted
        continue
    deadline = time.monotonic() + step.get("timeout", 30)
    pattern = re.compile(step["expect"].encode())
    alive = True
    while True:
        m = pattern.search(out, seen)
        if m:
            seen = m.end()
            break
        if not alive or time.monotonic() > deadline:
            failed = i
            break
        alive = read_some(min(0.5, max(0.0, deadline - time.monotonic())))
    if failed is not None:
        break

code = None
end = time.monotonic() + 30
while code is None and time.monotonic() < end:
    if not read_some(0.2):
        pass
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
if code is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
print(json.dumps({"ok": failed is None, "failedStep": failed, "exitCode": code,
                  "transcript": out.decode("utf-8", "replace")}))
