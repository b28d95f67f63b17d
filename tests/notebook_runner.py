#!/usr/bin/env python3
"""Execute Deno Jupyter notebooks headlessly, reliably and (optionally) offline.

Run with a Python that has Jupyter (Debian: jupyter-nbconvert, python3-nbclient; or pip install
nbclient ipykernel); `deno task notebooks` picks one (tests/notebook_python.ts):

    python3 tests/notebook_runner.py [--inplace | --check] [--offline] [--timeout N] NOTEBOOK...

What it does that `jupyter nbconvert --execute` does not:

* Deno 2.9.6 sometimes publishes a cell's outputs *after* the cell's `idle` status,
  and stock nbclient stops reading IOPub at `idle`, so outputs get lost. The
  `DenoNotebookClient` below keeps reading IOPub messages of the same parent for a
  short grace period (250 ms, extended while late messages keep arriving).
* It writes its own kernelspec (`kernels/deno/kernel.json`, with NO_COLOR=1) into a
  temporary directory put first on JUPYTER_PATH, so no `deno jupyter --install` is needed.
* `--offline` runs the Jupyter client and the kernel in a private network namespace
  that only has loopback (`unshare -n`, or `unshare -rn` when not root); when that is
  impossible it falls back to pointing HTTP(S)_PROXY/ALL_PROXY at a dead local port.
* `--inplace` writes executed notebooks back, normalised so that committed files are
  deterministic: no timing metadata, no ANSI escapes, sequential execution counts,
  fixed kernelspec, stable cell ids. It refuses to write (and fails) when an output
  contains something shaped like a Hugging Face token.
* `--check` normalises the same way and fails when the result differs from the file:
  committed outputs that are stale (the library changed since they were written) or
  not deterministic (a second run gives other bytes), naming the cells that differ.

Exit status: 0 when every notebook ran without a failing cell, 1 when some notebook
failed, 2 on a usage or setup problem.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from queue import Empty
from typing import Any, Dict, List, Optional

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionComplete,
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )
    from nbclient.util import ensure_async
except ImportError as exc:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"notebook_runner: cannot import Jupyter ({exc}).\n"
        "Install Debian's packages: apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel\n"
        "(or pip install nbclient ipykernel) and run this script with that Python (PYTHON=... deno task notebooks).\n"
    )
    sys.exit(2)

GRACE_SECONDS = 0.25  # how long to keep reading IOPub after a cell's idle status
FINAL_GRACE_SECONDS = 1.0  # for the last code cell, whose late outputs no later cell can pick up
MAX_GRACE_SECONDS = 2.0  # upper bound when late messages keep arriving
NETNS_ENV = "_HF_NOTEBOOK_RUNNER_NETNS"  # set on the re-executed runner inside the namespace
DEAD_PROXY = "http://127.0.0.1:9"

KERNELSPEC = {"name": "deno", "display_name": "Deno", "language": "typescript"}

# CSI sequences, OSC sequences (ended by BEL or ST) and two-byte escapes.
ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
TOKEN_RE = re.compile(r"hf_[A-Za-z0-9]{30,}")


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text)


# --------------------------------------------------------------------------------------
# The client


class DenoNotebookClient(NotebookClient):
    """NotebookClient that also collects outputs the Deno kernel publishes after `idle`."""

    grace_seconds: float = GRACE_SECONDS
    final_grace_seconds: float = FINAL_GRACE_SECONDS  # last code cell: nothing comes after it
    last_code_index: Optional[int] = None
    late_messages: int = 0  # outputs caught in the grace period (over the whole notebook)
    very_late_messages: int = 0  # outputs of an earlier cell that arrived even later
    current_cell_index: Optional[int] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # msg_id of each executed request -> (cell, cell index), to place very late outputs.
        self._earlier_requests: Dict[str, Any] = {}

    async def async_execute_cell(
        self,
        cell: Any,
        cell_index: int,
        execution_count: Optional[int] = None,
        store_history: bool = True,
    ) -> Any:
        self.current_cell_index = cell_index
        return await super().async_execute_cell(
            cell, cell_index, execution_count=execution_count, store_history=store_history
        )

    def _put_back(self, msg: Dict[str, Any], cell_index: int) -> None:
        """An output of an earlier cell that came even after its grace period: give it
        to the cell it belongs to rather than drop it (stock nbclient drops it)."""
        parent = msg["parent_header"].get("msg_id")
        if parent not in self._earlier_requests or msg["msg_type"] == "status":
            return
        earlier_cell, earlier_index = self._earlier_requests[parent]
        self.very_late_messages += 1
        self.log.warning("output of cell %s arrived while running cell %s", earlier_index, cell_index)
        try:
            self.process_message(msg, earlier_cell, earlier_index)
        except CellExecutionComplete:
            pass

    async def _async_poll_output_msg(self, parent_msg_id: str, cell: Any, cell_index: int) -> None:
        assert self.kc is not None
        # 1. What stock nbclient does: read until the idle status of this request.
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            parent = msg["parent_header"].get("msg_id")
            if parent == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    break
            else:
                self._put_back(msg, cell_index)
        self._earlier_requests[parent_msg_id] = (cell, cell_index)
        # 2. Keep reading messages of the same parent for a grace period after idle.
        grace = self.grace_seconds
        if cell_index == self.last_code_index and grace > 0:
            grace = max(grace, self.final_grace_seconds)
        started = time.monotonic()
        deadline = started + grace
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=remaining))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                self._put_back(msg, cell_index)
                continue
            if msg["msg_type"] == "status":
                continue  # a second idle/busy would end processing; nothing to record
            self.late_messages += 1
            self.log.debug("late %s message after idle for cell %s", msg["msg_type"], cell_index)
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass
            # More may follow: extend the window, within a bound.
            deadline = min(time.monotonic() + grace, started + MAX_GRACE_SECONDS)


# --------------------------------------------------------------------------------------
# Kernelspec


def find_deno() -> str:
    explicit = os.environ.get("DENO")
    candidate = explicit or shutil.which("deno")
    if not candidate or not os.path.isfile(candidate) or not os.access(candidate, os.X_OK):
        where = f"$DENO={explicit!r}" if explicit else "PATH"
        raise SystemExit(f"notebook_runner: no executable `deno` found on {where}")
    return os.path.abspath(candidate)


def write_kernelspec(base_dir: str, deno: str) -> str:
    kernel_dir = os.path.join(base_dir, "kernels", "deno")
    os.makedirs(kernel_dir, exist_ok=True)
    spec = {
        "argv": [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
        "display_name": "Deno",
        "language": "typescript",
        "env": {"NO_COLOR": "1"},
    }
    with open(os.path.join(kernel_dir, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    return kernel_dir


# --------------------------------------------------------------------------------------
# Network isolation


def bring_loopback_up() -> None:
    ip = shutil.which("ip") or next(
        (p for p in ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip") if os.path.exists(p)), None
    )
    if ip and subprocess.run([ip, "link", "set", "lo", "up"], capture_output=True).returncode == 0:
        return
    # No `ip`: set IFF_UP on lo with ioctl (SIOCGIFFLAGS / SIOCSIFFLAGS).
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s.fileno(), siocgifflags, ifreq))[1]
        fcntl.ioctl(s.fileno(), siocsifflags, struct.pack("16sH22x", b"lo", flags | iff_up))


def loopback_works() -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=2):
                pass
        return True
    except OSError:
        return False


def non_loopback_interfaces() -> List[str]:
    try:
        return [name for _, name in socket.if_nameindex() if name != "lo"]
    except OSError:
        return []


def unshare_variants() -> List[List[str]]:
    if os.environ.get("HF_NOTEBOOK_RUNNER_NO_NETNS"):  # to test the proxy fallback
        return []
    unshare = shutil.which("unshare") or ("/usr/bin/unshare" if os.path.exists("/usr/bin/unshare") else None)
    if not unshare:
        return []
    # As root a plain network namespace is enough; otherwise map ourselves to root in a
    # new user namespace so that we may create the network namespace and raise lo.
    if os.geteuid() == 0:
        return [[unshare, "-n"], [unshare, "-rn"]]
    return [[unshare, "-rn"], [unshare, "-n"]]


def probe_netns(prefix: List[str]) -> Optional[str]:
    """Return None if `prefix` gives a namespace with working loopback, else the reason."""
    try:
        proc = subprocess.run(
            [*prefix, "--", sys.executable, os.path.abspath(__file__), "--_probe-netns"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if proc.returncode == 0:
        return None
    lines = (proc.stderr or proc.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {proc.returncode}"


def probe_main() -> int:
    try:
        bring_loopback_up()
    except OSError as exc:
        print(f"cannot bring lo up: {exc}", file=sys.stderr)
        return 1
    if not loopback_works():
        print("loopback does not work in the namespace", file=sys.stderr)
        return 1
    others = non_loopback_interfaces()
    if others:
        print(f"namespace has other interfaces: {others}", file=sys.stderr)
        return 1
    return 0


def enter_offline_mode(argv: List[str]) -> str:
    """Re-execute inside a private network namespace if possible; return the isolation line.

    Returns only when running inside the namespace already or when falling back to proxies.
    """
    if os.environ.get(NETNS_ENV):
        prefix = os.environ[NETNS_ENV]
        bring_loopback_up()
        if not loopback_works():
            raise SystemExit("notebook_runner: loopback does not work in the private network namespace")
        return f"isolation: private network namespace ({prefix}), loopback only"

    reasons = []
    for prefix in unshare_variants():
        reason = probe_netns(prefix)
        if reason is None:
            env = dict(os.environ)
            env[NETNS_ENV] = " ".join(["unshare", *prefix[1:]])
            sys.stdout.flush()
            sys.stderr.flush()
            os.execve(prefix[0], [*prefix, "--", sys.executable, os.path.abspath(__file__), *argv], env)
        reasons.append(f"{' '.join(prefix)}: {reason}")
    if not reasons:
        reasons.append(
            "HF_NOTEBOOK_RUNNER_NO_NETNS is set" if os.environ.get("HF_NOTEBOOK_RUNNER_NO_NETNS") else "`unshare` not found"
        )

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ[name] = DEAD_PROXY
    for name in ("NO_PROXY", "no_proxy"):
        os.environ[name] = "127.0.0.1,localhost"
    print(
        "WARNING: network namespaces are not available here (" + "; ".join(reasons) + "); "
        f"falling back to HTTP_PROXY/HTTPS_PROXY/ALL_PROXY={DEAD_PROXY}. Code that ignores proxy "
        "variables can still reach the network.",
        file=sys.stderr,
    )
    return f"isolation: proxy variables only (HTTP_PROXY/HTTPS_PROXY/ALL_PROXY={DEAD_PROXY}), NOT a network namespace"


# --------------------------------------------------------------------------------------
# Normalisation and checks


def _strip_text_value(value: Any) -> Any:
    if isinstance(value, str):
        return strip_ansi(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [strip_ansi(v) for v in value]
    return value


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def coalesce_streams(outputs: List[Any]) -> List[Any]:
    """Merge consecutive stream outputs of the same stream: how the kernel batches
    console.log calls into messages is a matter of timing, the merged text is not."""
    merged: List[Any] = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = _text(prev["text"]) + _text(out["text"])
        else:
            merged.append(out)
    return merged


def stable_ids(raw_cells: List[Dict[str, Any]], with_ids: bool) -> List[Optional[str]]:
    """The cell ids to write: the file's own ids; for a v4.5+ notebook whose cells lack
    one (nbformat would invent a random id on every read), one derived from the cell's
    position and source, so that repeated runs write the same id."""
    if not with_ids:
        return [None for _ in raw_cells]
    taken = {c["id"] for c in raw_cells if isinstance(c.get("id"), str)}
    ids: List[Optional[str]] = []
    for index, c in enumerate(raw_cells):
        cid = c.get("id")
        if not isinstance(cid, str):
            source = c.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            seed = f"{index}:{source}"
            cid = hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]
            while cid in taken:
                seed += "'"
                cid = hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]
            taken.add(cid)
        ids.append(cid)
    return ids


def normalise(nb: Any, ids: List[Optional[str]]) -> None:
    """Make an executed notebook deterministic (in place)."""
    count = 0
    for cell, cid in zip(nb.cells, ids):
        if cid is None:
            cell.pop("id", None)
        else:
            cell["id"] = cid
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        # deno fmt (2.9.6) only accepts a notebook as formatted when every cell's source
        # ends with a newline: without it `deno fmt --check` fails on a fresh cache.
        if cell.source and not cell.source.endswith("\n"):
            cell.source += "\n"
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            cell.execution_count = None
            cell.outputs = []
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = coalesce_streams(cell.outputs)
        for out in cell.outputs:
            if out.output_type == "stream":
                out.text = _strip_text_value(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                if out.output_type == "execute_result":
                    out.execution_count = count
                # base64 images cannot contain ESC, JSON bundles (dicts) are left alone
                for mime in list(out.get("data", {})):
                    out.data[mime] = _strip_text_value(out.data[mime])
            elif out.output_type == "error":
                out.ename = strip_ansi(out.ename)
                out.evalue = strip_ansi(out.evalue)
                out.traceback = [strip_ansi(t) for t in out.traceback]
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    info = dict(nb.metadata.get("language_info") or {})
    info["name"] = "typescript"
    nb.metadata["language_info"] = info


def find_tokens(nb: Any) -> List[str]:
    """Return "cell N" descriptions of outputs that contain a token-shaped string."""
    hits = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if TOKEN_RE.search(json.dumps(out, ensure_ascii=False)):
                hits.append(f"cell {index} ({out.get('output_type')} output)")
                break
    return hits


def first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


# --------------------------------------------------------------------------------------
# Running one notebook


def run_notebook(path: str, args: argparse.Namespace) -> bool:
    rel = os.path.relpath(path)
    started = time.monotonic()
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        raw_json = json.loads(raw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # MissingIDFieldWarning: ids are handled by stable_ids
            nb = nbformat.reads(raw, as_version=4)
        ids = stable_ids(raw_json.get("cells", []), nb.nbformat == 4 and nb.nbformat_minor >= 5)
    except Exception as exc:  # noqa: BLE001 - report any read problem
        print(f"FAIL {rel}: cannot read notebook: {exc}")
        return False
    n_code = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    folder = os.path.dirname(os.path.abspath(path))

    client = DenoNotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name="deno",
        record_timing=False,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": folder}},
    )
    client.grace_seconds = args.grace_ms / 1000.0
    code_indices = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    client.last_code_index = code_indices[-1] if code_indices else None

    failure: Optional[List[str]] = None
    try:
        client.execute()
    except CellExecutionError as exc:
        failure = describe_cell_error(rel, nb, client.current_cell_index, exc.ename, exc.evalue, exc.traceback)
    except CellTimeoutError:
        idx = client.current_cell_index
        src = first_line(nb.cells[idx].source) if idx is not None else ""
        failure = [f"FAIL {rel}: cell {idx} timed out after {args.timeout} s: {src}"]
    except DeadKernelError as exc:
        failure = [f"FAIL {rel}: kernel died during cell {client.current_cell_index}: {exc}"]
    except Exception as exc:  # noqa: BLE001 - kernel start-up problems and the like
        failure = [f"FAIL {rel}: {type(exc).__name__}: {strip_ansi(str(exc))}"]
        if client.current_cell_index is not None:
            failure.append(f"  while executing cell {client.current_cell_index}")
    finally:
        # nbclient leaves an atexit hook behind when the kernel failed to start; make sure
        # no kernel outlives its notebook and nothing runs (and fails noisily) at exit.
        atexit.unregister(client._cleanup_kernel)
        if client.km is not None:
            try:
                client._cleanup_kernel()
            except Exception:  # noqa: BLE001 - best effort
                pass

    elapsed = time.monotonic() - started
    late = f", {client.late_messages} late output(s) caught" if client.late_messages else ""
    if client.very_late_messages:
        late += f", {client.very_late_messages} very late output(s) put back in their cell"
    if failure:
        print("\n".join(failure))
        print(f"failed {rel} ({n_code} cells, {elapsed:.1f} s{late})")
        return False

    normalise(nb, ids)
    hits = find_tokens(nb)
    if hits:
        action = "refusing to write it" if args.inplace else "it must not be committed"
        print(f"FAIL {rel}: output contains a Hugging Face token-shaped string in {', '.join(hits)}; {action}")
        return False

    if args.check:
        text = nbformat.writes(nb) + "\n"
        if text != raw:
            print(f"FAIL {rel}: re-executed outputs differ from the file's: {describe_change(raw, nb)}")
            print(f"failed {rel} ({n_code} cells, {elapsed:.1f} s{late})")
            return False
        late += ", identical"
    if args.inplace:
        text = nbformat.writes(nb) + "\n"
        if text != raw:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            late += ", written"
        else:
            late += ", unchanged"
    print(f"ok {rel} ({n_code} cells, {elapsed:.1f} s{late})")
    return True


def describe_change(raw: str, nb: Any) -> str:
    """Which cells' outputs changed between the file (`raw`) and the re-executed notebook."""
    try:
        before = json.loads(raw).get("cells", [])
    except ValueError:
        return "the file is not valid JSON"
    after = json.loads(nbformat.writes(nb)).get("cells", [])
    if len(before) != len(after):
        return f"{len(before)} cells in the file, {len(after)} after running"
    changed = [
        f"cell {i} ({first_line(_text(a.get('source', '')))})"
        for i, (b, a) in enumerate(zip(before, after))
        if b.get("outputs") != a.get("outputs") or b.get("execution_count") != a.get("execution_count")
    ]
    if not changed:
        return "only formatting or metadata differ"
    return "outputs of " + ", ".join(changed[:5]) + (" and more" if len(changed) > 5 else "") + \
        " (stale outputs: refresh with `deno task notebooks`; if a second run changes them again, " \
        "the notebook is not deterministic)"


def describe_cell_error(
    rel: str, nb: Any, index: Optional[int], ename: str, evalue: str, traceback: str
) -> List[str]:
    lines = [f"FAIL {rel}: cell {index}: {strip_ansi(ename)}: {strip_ansi(evalue)}"]
    if index is not None:
        lines.append(f"  source: {first_line(nb.cells[index].source)}")
        tb: List[str] = []
        for out in nb.cells[index].get("outputs", []):
            if out.get("output_type") == "error":
                tb = [strip_ansi(t) for t in out.get("traceback", [])]
        if not tb:
            tb = [strip_ansi(traceback)]
        tb_lines = [ln for t in tb for ln in t.splitlines() if ln.strip()]
        if len(tb_lines) > 15:
            tb_lines = tb_lines[:15] + [f"... ({len(tb_lines) - 15} more lines)"]
        lines.extend("  | " + ln for ln in tb_lines)
    if strip_ansi(evalue).strip() == "Execution failed":
        lines.append(
            "  hint: Deno says only 'Execution failed' when the cell does not parse (a syntax error) or "
            "its imports cannot be loaded. Every npm package must be declared in deno.json (an inline "
            "`npm:` specifier fails with the frozen lock) and be in the Deno cache: run `deno install` "
            "first, with network (--offline cannot download; the kernel's stderr then lists "
            "'Download ...' lines)."
        )
    return lines


# --------------------------------------------------------------------------------------


def parse_args(argv: List[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="notebook_runner.py",
        description="Execute Deno notebooks with a late-output-safe nbclient.",
    )
    p.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    p.add_argument("--inplace", action="store_true", help="write executed, normalised notebooks back")
    p.add_argument(
        "--check",
        action="store_true",
        help="fail when the executed, normalised notebook differs from the file (stale or non-deterministic outputs)",
    )
    p.add_argument("--timeout", type=int, default=120, help="per-cell timeout in seconds (default 120)")
    p.add_argument(
        "--startup-timeout", type=int, default=120, help="kernel start-up timeout in seconds (default 120)"
    )
    p.add_argument("--offline", action="store_true", help="run with no network reachable (loopback only)")
    p.add_argument(
        "--grace-ms",
        type=int,
        default=int(GRACE_SECONDS * 1000),
        help="how long to keep reading outputs after a cell's idle status (default 250; 0 = none, as stock nbclient)",
    )
    return p.parse_args(argv)


def main(argv: List[str]) -> int:
    if argv == ["--_probe-netns"]:
        return probe_main()
    args = parse_args(argv)

    missing = [nb for nb in args.notebooks if not os.path.isfile(nb)]
    if missing:
        print(f"notebook_runner: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2

    if args.offline:
        isolation = enter_offline_mode(argv)
    else:
        isolation = "isolation: none (network reachable; use --offline to block it)"
    print(isolation, flush=True)

    deno = find_deno()
    with tempfile.TemporaryDirectory(prefix="hf-notebook-runner-") as tmp:
        write_kernelspec(tmp, deno)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (tmp, os.environ.get("JUPYTER_PATH")) if p)
        os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")
        os.environ["NO_COLOR"] = "1"
        ok = True
        for path in args.notebooks:
            ok = run_notebook(path, args) and ok
            sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
