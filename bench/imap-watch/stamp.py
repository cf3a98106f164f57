#!/usr/bin/python3
"""Copies standard input to standard output, each line prefixed with the
seconds since this started (to see where a benchmark's time goes)."""
import sys
import time

start = time.monotonic()
for line in sys.stdin:
    print(f"{time.monotonic() - start:7.2f} {line}", end="", flush=True)
