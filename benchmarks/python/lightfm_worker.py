"""One LightFM benchmark run: train, evaluate, recommend, report.

Reads a data set prepared by the Node driver (see prepared.py), trains LightFM epoch by
epoch, measures test AUC and precision@10 with LightFM's own evaluation functions, computes top-10 recommendations the usual LightFM way (predict for
all items, mask train items, argpartition), and prints one line `RESULT {json}`.

Usage: python lightfm_worker.py --data DIR --loss warp --threads 2 --epochs 5 --components 64
"""

import json
import time

import numpy as np

import lightfm
from lightfm import LightFM
from lightfm.evaluation import auc_score, precision_at_k

from prepared import K, exclusion, load, peak_rss_bytes, status_bytes, worker_arguments

# Python and the library are loaded (the imports above); no data is yet.
BASE_RSS_BYTES = status_bytes("VmRSS")


def recommend(model, train_csr, users, item_features, threads):
    """Top-K unseen items per user: LightFM's documented predict loop plus argpartition."""
    item_ids = np.arange(train_csr.shape[1], dtype=np.int32)
    top = np.empty((len(users), K), dtype=np.int64)
    for n, u in enumerate(users):
        scores = model.predict(int(u), item_ids, item_features=item_features, num_threads=threads)
        scores[train_csr.indices[train_csr.indptr[u] : train_csr.indptr[u + 1]]] = -np.inf
        best = np.argpartition(-scores, K)[:K]
        top[n] = best[np.argsort(-scores[best])]
    return top


def main():
    p = worker_arguments("One LightFM benchmark run.")
    p.add_argument("--loss", required=True)
    p.add_argument("--epochs", type=int, required=True)
    a = p.parse_args()

    meta, train, test, item_features, users = load(a.data)
    model = LightFM(no_components=a.components, loss=a.loss, learning_rate=0.05, random_state=a.seed)
    epoch_seconds, epoch_cpu_seconds = [], []
    for _ in range(a.epochs):
        start, cpu = time.perf_counter(), time.process_time()
        model.fit_partial(train, item_features=item_features, epochs=1, num_threads=a.threads)
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu_seconds.append(time.process_time() - cpu)

    # Every side builds the train rows to exclude before the timed calls.
    train_csr = exclusion(train, test, users)
    start = time.perf_counter()
    common = dict(train_interactions=train_csr, item_features=item_features, num_threads=a.threads)
    auc = auc_score(model, test, **common).mean()
    precision = precision_at_k(model, test, k=K, **common).mean()
    eval_seconds = time.perf_counter() - start

    start = time.perf_counter()
    recommend(model, train_csr, users, item_features, a.threads)
    recommend_seconds = time.perf_counter() - start

    result = {
        "library": "lightfm",
        "version": lightfm.__version__,
        "dataset": meta["name"],
        "loss": a.loss,
        "threads": a.threads,
        "components": a.components,
        "epochs": a.epochs,
        "trainSamples": int(train.nnz),
        "epochSeconds": epoch_seconds,
        "epochCpuSeconds": epoch_cpu_seconds,
        "evalSeconds": eval_seconds,
        "auc": float(auc),
        "precisionAt10": float(precision),
        "recommendSeconds": recommend_seconds,
        "recommendUsers": int(len(users)),
        "peakRssBytes": peak_rss_bytes(),
        **({} if BASE_RSS_BYTES is None else {"baseRssBytes": BASE_RSS_BYTES}),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
