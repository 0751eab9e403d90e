"""Reproduce the Run All ordering bug of LivePlot's controls at the jupyter_client level.

Sends, in one burst as JupyterLab's Run All does, a slow cell, a short ``fit`` with
``LivePlot()`` (controls on), a cell that defines a name and cells that use it; prints each
request's reply status and execution count, in the order the kernel finished them.
Run: python tools/repro_runall_order.py [runs]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # this checkout's tests.lab_kernel and mnist_lesson

from tests.lab_kernel import LabKernel  # noqa: E402

SETUP = """\
import time, keras, numpy as np
from mnist_lesson.live.callback import LivePlot
x = np.random.default_rng(0).random((256, 8), dtype=np.float32)
y = keras.utils.to_categorical((x.sum(axis=1) > 4).astype(int), 2)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELLS = [
    "time.sleep(1)",  # the cell before: the rest of the Run All queues up meanwhile
    "model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[LivePlot()])",
    "defined = 1",
    "print('uses', defined)",
    "print('then', defined + 1)",
]


def main(runs: int = 1) -> int:
    kernel = LabKernel("repro.ipynb")
    client = kernel.client
    bad = 0
    try:
        client.execute_interactive(SETUP, timeout=120, output_hook=lambda m: None)
        for run in range(runs):
            client.execute_interactive("defined = None; del defined", output_hook=lambda m: None)
            ids = [client.execute(code) for code in CELLS]  # one burst, as Run All
            replies = {}
            order = []
            while len(replies) < len(ids):
                reply = client.get_shell_msg(timeout=300)
                parent = reply["parent_header"].get("msg_id")
                if parent in ids:
                    replies[parent] = reply["content"]
                    order.append(ids.index(parent))
            statuses = [
                (replies[i]["status"], replies[i].get("execution_count"), replies[i].get("ename"))
                for i in ids
            ]
            ok = order == list(range(len(ids))) and all(s[0] == "ok" for s in statuses)
            bad += not ok
            print(f"run {run}: finish order {order}, {'OK' if ok else 'WRONG'}")
            for code, status in zip(CELLS, statuses, strict=True):
                print(f"    {status}  {code}")
            time.sleep(0.5)
    finally:
        kernel.close()
    return bad


if __name__ == "__main__":
    sys.exit(1 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 1) else 0)
