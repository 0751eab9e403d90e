"""How many pen moves a real kernel handles a second, against bare widget messages.

A kernel is started with jupyter_client, as a Jupyter server starts one; a pad, a pad with the
view inside the network, and a plain button are made in it. The bench then sends, as the
browser does, ``--messages`` comm messages to each (clicks on the button, which has no
handler: the reference; pen moves along a stroke to each pad, its readings included, ten a
second of wall time) and times until the kernel has handled them all, twice, keeping the
second round. The ratio against the
bare message, measured in the same kernel and run, is what the pad itself adds to ipykernel's
own handling of a message. The browser sends about 60 moves a second.

    python bench/bench_pad_kernel.py [--messages 600]
"""

from __future__ import annotations

import argparse
import ast
import time

import common

SETUP = """
from mnist_lesson import DrawingPad, build_model
import ipywidgets

pad = DrawingPad(build_model(seed=0), name="plain")
inside = DrawingPad(build_model(seed=0), name="inside", inside=True)
button = ipywidgets.Button()
print((button.comm.comm_id, pad.canvas.comm.comm_id, inside.canvas.comm.comm_id))
"""


def run(client, code: str) -> str:
    """Execute ``code`` in the kernel; return what it printed, once the kernel is idle."""
    msg_id = client.execute(code)
    printed = ""
    while True:
        message = client.get_iopub_msg(timeout=300)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream":
            printed += message["content"]["text"]
        if message["msg_type"] == "error":
            raise RuntimeError("\n".join(message["content"]["traceback"]))
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            client.get_shell_msg(timeout=60)
            return printed


def main() -> None:
    """Send each widget its messages; print messages a second and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=600)
    args = parser.parse_args()
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(
        kernel_name="python3", env={"PYTHONPATH": str(common.REPO_ROOT)}
    )
    try:
        button, pad, inside = ast.literal_eval(run(client, SETUP).strip())

        def send(comm_id: str, content: dict) -> None:
            data = {"method": "custom", "content": content}
            client.shell_channel.send(
                client.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
            )

        seconds = {}
        cases = [("button click (reference)", button), ("pad: pen move", pad),
                 ("pad with the inside view: pen move", inside)]  # fmt: skip
        for name, comm_id in cases * 2:  # the first round warms up; the second is kept
            moves = comm_id != button
            if moves:
                send(comm_id, {"event": "mouse_down", "x": 60, "y": 100})
            started = time.perf_counter()
            for i in range(args.messages):
                point = {"x": 60 + i % 160, "y": 100 + 40 * (i // 160 % 2) + i % 7}
                send(comm_id, {"event": "mouse_move", **point} if moves else {"event": "click"})
            run(client, "pass")
            seconds[name] = (time.perf_counter() - started) / args.messages
            if moves:
                send(comm_id, {"event": "mouse_up", "x": 60, "y": 100})
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    reference = seconds["button click (reference)"]
    print(f"{args.messages} messages each, sent as the browser sends them, into one kernel")
    for name, each in seconds.items():
        print(
            f"{name:36} {1 / each:6.0f} a second, {each * 1000:5.2f} ms each, "
            f"ratio {each / reference:4.2f}, {each * 60:5.1%} of a core at 60 a second"
        )


if __name__ == "__main__":
    main()
