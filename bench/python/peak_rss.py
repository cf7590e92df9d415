#!/usr/bin/env python3
"""Runs a command with this process's stdin and stdout and, once it has
exited, writes its peak resident set size (kB, of it and the children it
waited for) to the file PEAK_RSS_FILE names; exits with its status.

Usage: peak_rss.py COMMAND [ARGS...]
"""

import os
import resource
import subprocess
import sys


def main():
    status = subprocess.call(sys.argv[1:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ["PEAK_RSS_FILE"], "w") as out:
        out.write(str(peak))
    sys.exit(status)


if __name__ == "__main__":
    main()
