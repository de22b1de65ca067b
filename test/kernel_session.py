#!/usr/bin/env python3
"""Drives one real `tslab-xai` kernel through a scripted session (used by test/interrupt.test.ts).

Reads a JSON scenario on stdin, prints one JSON result on stdout:

  in:  {"kernel": "tslab-xai", "cwd": DIR, "startup_timeout": S,
        "steps": [{"code": "...", "interrupt_after": 2.0, "interrupts": 1, "timeout": 60},
                  {"interrupt_idle": 2}, ...]}
  out: {"steps": [{"status": "ok"|"error"|"abort"|"timeout", "ename", "evalue",
                   "stdout", "stderr", "text": [display text/plain...],
                   "seconds": wall time of the request,
                   "after_interrupt": seconds from the (first) interrupt to the reply}, ...]}

`interrupt_after` sends SIGINT (KernelManager.interrupt_kernel: the kernel's process group, as
Jupyter does) that many seconds after the execute_request was sent; `interrupts: 2` sends a
second one 0.2 s later. `interrupt_idle: n` interrupts an idle kernel n times (0.2 s apart).
The kernelspec is found through JUPYTER_PATH, which the caller sets.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager


def drain_iopub(kc, msg_id, out, deadline):
    """Collect iopub output of `msg_id` until its status goes idle or `deadline` passes."""
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.05, min(0.5, deadline - time.time())))
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t, c = msg["msg_type"], msg["content"]
        if t == "stream":
            out[c["name"]] += c["text"]
        elif t in ("display_data", "update_display_data", "execute_result"):
            out["text"].append(str(c.get("data", {}).get("text/plain", "")))
        elif t == "error":
            out["ename"], out["evalue"] = c.get("ename"), c.get("evalue")
        elif t == "status" and c.get("execution_state") == "idle":
            return True
    return False


def run_step(km, kc, step):
    if "interrupt_idle" in step:
        for i in range(int(step["interrupt_idle"])):
            if i:
                time.sleep(0.2)
            km.interrupt_kernel()
        time.sleep(0.5)
        return {"status": "ok", "interrupted": int(step["interrupt_idle"])}
    out = {"status": "timeout", "stdout": "", "stderr": "", "text": [], "ename": None, "evalue": None}
    timeout = float(step.get("timeout", 120))
    t0 = time.time()
    msg_id = kc.execute(step["code"], stop_on_error=step.get("stop_on_error", False))
    t_int = None
    if "interrupt_after" in step:
        # wait on the shell channel until it is time to interrupt (the cell may finish earlier)
        while time.time() - t0 < float(step["interrupt_after"]):
            try:
                reply = kc.get_shell_msg(timeout=0.05)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                out["status"] = reply["content"]["status"]
                out["seconds"] = time.time() - t0
                out["finished_before_interrupt"] = True
                drain_iopub(kc, msg_id, out, time.time() + 5)
                return out
        t_int = time.time()
        km.interrupt_kernel()
        for _ in range(int(step.get("interrupts", 1)) - 1):
            time.sleep(0.2)
            km.interrupt_kernel()
    deadline = t0 + timeout
    while time.time() < deadline:
        try:
            reply = kc.get_shell_msg(timeout=0.1)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") != msg_id:
            continue
        now = time.time()
        out["status"] = reply["content"]["status"]
        out["seconds"] = now - t0
        if t_int is not None:
            out["after_interrupt"] = now - t_int
        break
    drain_iopub(kc, msg_id, out, time.time() + 10)
    return out


def main():
    scenario = json.load(sys.stdin)
    km = KernelManager(kernel_name=scenario.get("kernel", "tslab-xai"))
    # the kernel's own stdout (not a cell's) must not mix with the JSON result on ours
    km.start_kernel(cwd=scenario.get("cwd"), stdout=sys.stderr)
    kc = km.client()
    kc.start_channels()
    results = []
    try:
        kc.wait_for_ready(timeout=float(scenario.get("startup_timeout", 60)))
        for step in scenario["steps"]:
            results.append(run_step(km, kc, step))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    json.dump({"steps": results}, sys.stdout)


if __name__ == "__main__":
    main()
