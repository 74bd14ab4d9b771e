#!/usr/bin/env python3
# forgesig.py CODE PID: send this process SIGCHLD (CODE "chld": CLD_EXITED)
# or SIGUSR1 (CODE "mesgq": SI_MESGQ) with a forged si_pid PID through
# rt_sigqueueinfo(), and print the si_pid it receives.  A kernel-made code
# written by a task itself must read back in the sender's view: never as
# the receiver's number of a task the forged PID names elsewhere.
import ctypes
import os
import signal
import struct
import sys

SYS_rt_sigqueueinfo = 129  # x86_64
code, pid = sys.argv[1], int(sys.argv[2])
sig, si_code = {"chld": (signal.SIGCHLD, 1), "mesgq": (signal.SIGUSR1, -3)}[code]
signal.pthread_sigmask(signal.SIG_BLOCK, [sig])
info = struct.pack("iiiiii", sig, 0, si_code, 0, pid, 0).ljust(128, b"\0")
buf = ctypes.create_string_buffer(info, 128)
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(SYS_rt_sigqueueinfo, os.getpid(), sig, buf) != 0:
    print("rt_sigqueueinfo errno", ctypes.get_errno())
    sys.exit(1)
print(signal.sigwaitinfo([sig]).si_pid)
