"""One implicit BPR curve run (the protocol of benchmarks/src/curves.ts).

Trains implicit's CPU BayesianPersonalizedRanking (64 factors, its defaults otherwise) on a set
prepared by the Node driver, in one fit() whose callback ends each epoch: it measures test
precision@10 with train items excluded (LightFM's definition: hits in the top 10 over 10,
averaged over users with test entries), on the same test users as the other columns, and stops
the fit after the epoch cap or PATIENCE epochs without a new best. Evaluation time is left out
of the epoch times. Prints one line `RESULT {json}`.

Usage: python implicit_worker.py --data DIR --threads 2 --max-epochs 100 [--components 64]
"""

import json
import time

import numpy as np

import implicit
from implicit.cpu.bpr import BayesianPersonalizedRanking

from prepared import K, load, peak_rss_bytes, worker_arguments

# As in src/curves.ts.
PATIENCE = 10


class Stop(Exception):
    """Raised from the epoch callback to end the fit early."""


def should_stop(precisions, max_epochs):
    """src/curves.ts shouldStop (implicit runs have no target): the cap, or PATIENCE epochs
    without a new best."""
    return len(precisions) >= max_epochs or len(precisions) - 1 - int(np.argmax(precisions)) >= PATIENCE


def precision_at_k(model, train_csr, test):
    """Mean precision@K of implicit's own top-K (train items filtered) over users with test entries."""
    users = np.flatnonzero(np.diff(test.indptr)).astype(np.int32)
    ids, _ = model.recommend(users, train_csr[users], N=K, filter_already_liked_items=True)
    items = np.int64(test.shape[1])
    wanted = np.sort(np.repeat(users.astype(np.int64), np.diff(test.indptr)[users]) * items + test.indices)
    got = users.astype(np.int64)[:, None] * items + ids
    hits = np.isin(got[ids >= 0], wanted).sum()
    return float(hits) / (K * len(users))


def main():
    p = worker_arguments("One implicit BPR curve run.")
    p.add_argument("--max-epochs", type=int, required=True)
    a = p.parse_args()

    meta, train, test, _, _ = load(a.data)
    train_csr = train.tocsr()
    del train
    model = BayesianPersonalizedRanking(factors=a.components, iterations=a.max_epochs, num_threads=a.threads, random_state=a.seed)
    epoch_seconds, precisions = [], []
    clock = [time.perf_counter()]

    def end_of_epoch(*_):
        epoch_seconds.append(time.perf_counter() - clock[0])
        precisions.append(precision_at_k(model, train_csr, test))
        if should_stop(precisions, a.max_epochs):
            raise Stop()
        clock[0] = time.perf_counter()

    try:
        model.fit(train_csr, show_progress=False, callback=end_of_epoch)
    except Stop:
        pass

    result = {
        "library": "implicit",
        "version": implicit.__version__,
        "dataset": meta["name"],
        "loss": "bpr",
        "threads": a.threads,
        "components": a.components,
        "trainSamples": int(train_csr.nnz),
        "epochSeconds": epoch_seconds,
        "precisionAt10": precisions,
        "target": None,
        "maxEpochs": a.max_epochs,
        "peakRssBytes": peak_rss_bytes(),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
