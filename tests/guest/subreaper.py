#!/usr/bin/python3
"""Run as pid 1 (native pid namespace or vpid container): what
PR_GET_CHILD_SUBREAPER reads as the init sets and clears it, and whether an
orphan still comes to the init with the flag cleared (t50-init.sh)."""
import ctypes
import os
import time

libc = ctypes.CDLL(None, use_errno=True)
PR_SET, PR_GET = 36, 37


def get():
    v = ctypes.c_int(-1)
    r = libc.prctl(PR_GET, ctypes.byref(v), 0, 0, 0)
    return f"{r}:{v.value}"


out = [f"pid={os.getpid()}", f"get={get()}"]
out.append(f"set1={libc.prctl(PR_SET, 1, 0, 0, 0)} get={get()}")
out.append(f"set0={libc.prctl(PR_SET, 0, 0, 0, 0)} get={get()}")
r, w = os.pipe()
if os.fork() == 0:           # child: fork an orphan, exit
    if os.fork() == 0:
        time.sleep(0.3)
        os.write(w, f"orphan ppid={os.getppid()}\n".encode())
        os._exit(0)
    os._exit(0)
os.wait()
out.append(os.read(r, 100).decode().strip())
print(" ".join(out))
