#!/usr/bin/env python3
"""Execute tslab-xai's notebooks headless through Jupyter (nbclient), in name order.

Usage: run_notebooks.py NOTEBOOK_DIR OUT_DIR [--filter S] [--timeout SECONDS] [--kernel NAME] [--homework]

For each notebook: run every cell with the `tslab-xai` kernel; fail on the first error output or
when the whole notebook exceeds its timeout; write the executed .ipynb and an .html export to
OUT_DIR (through a temporary file, so no half-written outputs). Prints one line per notebook and a
closing line `notebooks: N passed, N failed`. Exit status 1 names the notebook, the cell and the
error of each failure.

With --homework (notebooks/homework/), each notebook runs twice and is judged by its self-checks,
the outputs of MIME type application/vnd.tslab-xai.check+json that lib/grader displays:
  stubs      as committed, with the TODO stubs: every check must say ✗ (a check that cannot fail is
             a defect) and no cell may error;
  solutions  the cells named in solutions/NAME.json (cell id → source) replaced by their solution:
             every check must say ✓.
Every cell tagged "check" must show at least one check in both runs. Outputs: NAME.stubs.ipynb/.html
and NAME.solutions.ipynb/.html.
"""
import argparse
import asyncio
import glob
import os
import sys
import time
import warnings

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

warnings.filterwarnings("ignore", message=".*missing an id field.*")
p = argparse.ArgumentParser()
p.add_argument("notebook_dir")
p.add_argument("out_dir")
p.add_argument("--filter", default="")
p.add_argument("--timeout", type=float, default=600.0)
p.add_argument("--kernel", default="tslab-xai")
p.add_argument("--homework", action="store_true")
p.add_argument("--only", default="", help="comma-separated name prefixes: run only these notebooks")
p.add_argument("--skip", default="", help="comma-separated name prefixes: run all but these")
a = p.parse_args()
CHECK_MIME = "application/vnd.tslab-xai.check+json"

paths = sorted(glob.glob(os.path.join(a.notebook_dir, "*.ipynb")))
paths = [x for x in paths if a.filter in os.path.basename(x)]
if a.only:
    paths = [x for x in paths if any(os.path.basename(x).startswith(q) for q in a.only.split(","))]
if a.skip:
    paths = [x for x in paths if not any(os.path.basename(x).startswith(q) for q in a.skip.split(","))]
if not paths:
    print(f"notebooks: no notebook in {a.notebook_dir} matches '{a.filter}'", file=sys.stderr)
    sys.exit(1)
os.makedirs(a.out_dir, exist_ok=True)


def shortened(s, n=400):
    """The non-blank lines of s, cut to n characters."""
    s = "\n".join(x for x in str(s).splitlines() if x.strip())
    return s if len(s) <= n else s[:n] + "…"


def cell_error(nb):
    """(index, error text) of the first cell with an error output, else None."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                tb = "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
                return i, tb
    return None


def write_outputs(nb, name):
    from nbconvert import HTMLExporter
    ipynb = os.path.join(a.out_dir, name)
    html = os.path.join(a.out_dir, name[:-6] + ".html")
    tmp = ipynb + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, ipynb)
    # the classic template: the lab template inlines ~560 kB of JupyterLab CSS into every export (a 98 kB notebook became a
    # 710 kB page); classic pages are ~150 kB plus the notebook, and figures draw the same in both
    body, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    with open(html + ".tmp", "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(html + ".tmp", html)


def inject_solutions(nb, name):
    """Replaces the TODO cells named in solutions/NAME.json by their solution; error text or None."""
    import json
    sol_path = os.path.join(a.notebook_dir, "solutions", name[:-6] + ".json")
    if not os.path.exists(sol_path):
        return f"no solutions file {sol_path}"
    with open(sol_path, encoding="utf-8") as f:
        solutions = json.load(f)
    ids = {c.get("id"): c for c in nb.cells}
    missing = [k for k in solutions if k not in ids]
    if missing:
        return f"solutions for cells that are not in the notebook: {', '.join(missing)}"
    todo = [c.get("id") for c in nb.cells if "todo" in c.get("metadata", {}).get("tags", [])]
    unsolved = [k for k in todo if k not in solutions]
    if unsolved:
        return f"TODO cells without a solution: {', '.join(unsolved)}"
    for k, src in solutions.items():
        ids[k].source = src if isinstance(src, str) else "".join(src)
    return None


def judge_checks(nb, mode):
    """(cell index, error text) when the self-checks do not say what the mode requires, else None."""
    total = 0
    for i, cell in enumerate(nb.cells):
        checks = [o["data"][CHECK_MIME] for o in cell.get("outputs", [])
                  if o.get("output_type") in ("display_data", "execute_result") and CHECK_MIME in o.get("data", {})]
        if "check" in cell.get("metadata", {}).get("tags", []) and not checks:
            return i, "a check cell showed no check"
        for c in checks:
            total += 1
            if mode == "stubs" and c.get("passed"):
                return i, f"with the TODO stubs the check '{c.get('name')}' says ✓: a check that cannot fail"
            if mode == "solutions" and not c.get("passed"):
                return i, f"with the solutions the check '{c.get('name')}' says ✗ ({c.get('status')})"
    if total == 0:
        return None, "no self-check in the notebook"
    return None


failures = []
passed = 0
runs = [(x, m) for x in paths for m in (["stubs", "solutions"] if a.homework else [None])]
for path, mode in runs:
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    out_name = name if mode is None else f"{name[:-6]}.{mode}.ipynb"
    label = name if mode is None else f"{name} ({mode})"
    current = {"index": None}
    pre_err = inject_solutions(nb, name) if mode == "solutions" else None
    if pre_err:
        failures.append(label)
        print(f"FAIL  {label}: {pre_err}", flush=True)
        continue

    def on_start(cell, cell_index, **kw):
        current["index"] = cell_index

    t0 = time.time()
    err = None
    try:
        for attempt in (1, 2):
            client = NotebookClient(nb, timeout=int(a.timeout), kernel_name=a.kernel, allow_errors=False,
                                    resources={"metadata": {"path": a.notebook_dir}},
                                    on_cell_start=on_start)
            try:
                asyncio.run(asyncio.wait_for(client.async_execute(), timeout=a.timeout))
                break
            except RuntimeError as e:
                # the kernel never answered its first request (a zeromq bind race in tslab's startup, seen as
                # "Socket is blocked by a bind or unbind operation"): no cell has run, so start it once more
                if attempt == 2 or current["index"] is not None:
                    raise
                print(f"  {label}: the kernel did not start ({e}); starting it again", file=sys.stderr, flush=True)
    except asyncio.TimeoutError:
        err = (current["index"], f"timeout: the notebook exceeded {a.timeout:.0f} s")
    except CellExecutionError as e:
        # tslab reports a throwing cell as an error reply plus the stack on stderr
        idx = current["index"]
        stderr = ""
        if idx is not None:
            stderr = "".join(o.get("text", "") for o in nb.cells[idx].get("outputs", [])
                             if o.get("output_type") == "stream" and o.get("name") == "stderr")
        err = (idx, stderr.strip() or str(e))
    except DeadKernelError as e:
        err = (current["index"], f"the kernel died: {e}")
    except Exception as e:  # kernel could not start, bad notebook, …
        err = (current["index"], f"{type(e).__name__}: {e}")
    secs = time.time() - t0
    found = cell_error(nb)
    if found and (err is None or "timeout" not in err[1]):
        err = found
    if err is None and mode is not None:
        err = judge_checks(nb, mode)
    try:
        write_outputs(nb, out_name)
    except Exception as e:
        print(f"  (could not write outputs of {out_name}: {e})", file=sys.stderr)
    if err is None:
        passed += 1
        print(f"ok    {label}  {secs:6.1f} s", flush=True)
    else:
        idx, text = err
        src = ""
        if idx is not None and idx < len(nb.cells):
            src = shortened(nb.cells[idx].source, 120)
        failures.append(label)
        detail = "\n      ".join([x for x in str(text).splitlines() if x.strip()][:8])
        print(f"FAIL  {label}  {secs:6.1f} s  cell {idx}: {src}\n      {detail}", flush=True)

print(f"notebooks: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
