#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fusepid.py MNT GO BACK: which pid a FUSE daemon is told.

Serves, with fusepy (libfuse 2), a filesystem at MNT whose one file, "pid",
reads as the pid the kernel put in the read request's header, and whose
POSIX lock test (F_GETLK) answers a lock held by the asking process, by the
pid its request carried.  Then, run as the first process of a pid namespace
or container, prints one line each:
  - a child reads it: its own pid, or both numbers;
  - the child asks who holds a lock on it: its own pid, or both numbers;
  - a child in a native pid namespace of its own reads it: the number, less
    that of the unshare(1) that made it (its parent in this namespace);
  - a task outside reads it: the test starts that reader beforehand, blocked
    on the fifo GO until the mount is up, and it writes what it read to the
    fifo BACK.
"""
import ctypes
import errno
import fcntl
import os
import stat
import struct
import subprocess
import sys
import time

import fusepy

# struct flock on x86-64: type, whence, start, len, pid, with padding
FLOCK = "=hh4xqqi4x"


class Flock(ctypes.Structure):
    _fields_ = [("l_type", ctypes.c_short), ("l_whence", ctypes.c_short),
                ("l_start", ctypes.c_int64), ("l_len", ctypes.c_int64),
                ("l_pid", ctypes.c_int32)]


class PidFS(fusepy.Operations):
    """One file, "pid": the requester's pid in the daemon's numbering."""

    def getattr(self, path, fh=None):
        if path == "/":
            return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2}
        if path == "/pid":
            return {"st_mode": stat.S_IFREG | 0o644, "st_nlink": 1}
        raise fusepy.FuseOSError(errno.ENOENT)

    def readdir(self, path, fh):
        return [".", "..", "pid"]

    def open(self, path, flags):
        return 0

    def read(self, path, size, offset, fh):
        pid = fusepy.fuse_get_context()[2]
        return ("%d\n" % pid).encode()[offset:offset + size]

    def lock(self, path, fh, cmd, lock):
        if cmd == fcntl.F_GETLK:
            fl = ctypes.cast(lock, ctypes.POINTER(Flock)).contents
            fl.l_type = fcntl.F_WRLCK
            fl.l_whence, fl.l_start, fl.l_len = 0, 0, 0
            fl.l_pid = fusepy.fuse_get_context()[2]
        return 0


def serve(mnt):
    """The daemon: one thread, reads bypass the page cache."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    fusepy.FUSE(PidFS(), mnt, foreground=True, nothreads=True,
                direct_io=True)
    os._exit(0)


def read_pid(mnt):
    with open(os.path.join(mnt, "pid")) as f:
        return int(f.read())


def whose_lock(mnt, own):
    """F_GETLK on the file: the holder the daemon names, as this task sees it."""
    fd = os.open(os.path.join(mnt, "pid"), os.O_RDWR)
    req = struct.pack(FLOCK, fcntl.F_RDLCK, 0, 0, 0, 0)
    try:
        res = struct.unpack(FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, req))
    except OSError as e:
        return errno.errorcode[e.errno]
    finally:
        os.close(fd)
    if res[0] == fcntl.F_UNLCK:
        return "no lock"
    return "its own pid" if res[4] == own else "%d, its own pid is %d" % (
        res[4], own)


def main():
    mnt, go, back = sys.argv[1:4]
    os.makedirs(mnt, exist_ok=True)
    daemon = os.fork()
    if daemon == 0:
        serve(mnt)
    for _ in range(300):
        if os.path.ismount(mnt):
            break
        time.sleep(0.1)
    else:
        print("not mounted")
        return 1
    print("mounted", flush=True)

    child = os.fork()
    if child == 0:
        got = read_pid(mnt)
        own = os.getpid()
        print("child reads: %s" % ("its own pid" if got == own else
                                    "%d, its own pid is %d" % (got, own)),
              flush=True)
        print("child's lock test names: %s" % whose_lock(mnt, own),
              flush=True)
        os._exit(0)
    os.waitpid(child, 0)

    cmd = ["unshare", "--pid", "--fork", "cat", os.path.join(mnt, "pid")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.communicate()[0].strip()
    print("a child in a pid namespace of its own reads: unshare's pid %+d"
          % (int(out) - proc.pid))

    with open(go, "w") as f:
        f.write("go\n")
    with open(back) as f:
        print("a task outside reads: %s" % f.read().strip())

    subprocess.run(["umount", mnt], check=False)
    os.waitpid(daemon, 0)
    print("unmounted: %s" % ("yes" if not os.path.ismount(mnt) else "no"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
