"""What every Python benchmark worker shares: loading a set prepared by the Node driver (raw
little-endian arrays plus meta.json), the train rows to exclude when ranking, and this
process's memory as /proc reports it."""

import argparse
import json
import os
import resource
import sys

import numpy as np
import scipy.sparse as sp

K = 10


def worker_arguments(description):
    """An argument parser with the options every Python worker takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--components", type=int, default=64)
    p.add_argument("--seed", type=int, default=42)
    return p


def read(folder, name, dtype, count):
    values = np.fromfile(os.path.join(folder, name), dtype=dtype)
    if values.size != count:
        sys.exit(f"{folder}/{name}: expected {count} values, found {values.size}")
    return values


def load(folder):
    """(meta, train COO, test CSR, item features CSR or None, users to serve)."""
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    shape = (meta["users"], meta["items"])

    def matrix(prefix, n):
        rows = read(folder, f"{prefix}_row.i32", "<i4", n)
        cols = read(folder, f"{prefix}_col.i32", "<i4", n)
        return sp.coo_matrix((np.ones(n, dtype=np.float32), (rows, cols)), shape=shape)

    train = matrix("train", meta["train"])
    test = matrix("test", meta["test"]).tocsr()
    item_features = None
    if meta["itemFeatures"]:
        nnz, cols = meta["itemFeatures"]["nnz"], meta["itemFeatures"]["cols"]
        item_features = sp.csr_matrix(
            (
                read(folder, "item_data.f32", "<f4", nnz),
                read(folder, "item_indices.i32", "<i4", nnz),
                read(folder, "item_indptr.i32", "<i4", meta["items"] + 1),
            ),
            shape=(meta["items"], cols),
        )
    users = read(folder, "rec_users.i32", "<i4", meta["recommendUsers"])
    return meta, train, test, item_features, users


def exclusion(train, test, users):
    """The train entries of the evaluated (test) and served users as CSR, other rows empty (the
    whole train matrix when that is every user): exclusionMatrix in src/data-files.ts."""
    wanted = np.zeros(train.shape[0], dtype=bool)
    wanted[users] = True
    wanted[np.diff(test.indptr) > 0] = True
    if wanted.all():
        return train.tocsr()
    keep = wanted[train.row]
    return sp.csr_matrix((train.data[keep], (train.row[keep], train.col[keep])), shape=train.shape)


def status_bytes(field):
    """A size field (VmHWM, VmRSS) of this process's /proc status in bytes; None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def peak_rss_bytes():
    """This process's own peak RSS. ru_maxrss is only the fallback: on Linux, after fork + exec
    it keeps the parent's high-water mark, so a small worker would report the driver's size."""
    peak = status_bytes("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
