#!/usr/bin/env python3
"""Splits queries.tsv into tune.tsv and heldout.tsv by a fixed hash of each
query (SHA-256, first byte even: tune), so the held-out half was chosen before
any tuning and stays the same when queries are added.

usage: split.py [queries.tsv]   (writes tune.tsv and heldout.tsv beside it)
"""
import hashlib, os, sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "queries.tsv")
d = os.path.dirname(os.path.abspath(src))
with open(src, encoding="utf-8") as fh:
    head, *rows = fh.read().splitlines()
halves = {"tune": [], "heldout": []}
for r in rows:
    if not r.strip():
        continue
    h = hashlib.sha256(r.split("\t")[0].encode("utf-8")).digest()[0]
    halves["tune" if h % 2 == 0 else "heldout"].append(r)
for name, rs in halves.items():
    with open(os.path.join(d, name + ".tsv"), "w", encoding="utf-8") as fh:
        fh.write(head + "\n" + "".join(r + "\n" for r in rs))
    print("%s: %d queries" % (name, len(rs)))
