#!/usr/bin/env python3
"""Prints a valid 18-character resident ID (GB 11643) for a 6-digit area, a birth date and a
3-digit sequence: `check_digit.py 331004 19650115 997`."""
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"

body = sys.argv[1] + sys.argv[2] + sys.argv[3]
assert len(body) == 17 and body.isdigit(), body
print(body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11])
