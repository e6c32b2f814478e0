import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extraction.pipeline import ExtractOptions
from govreport.batch.run import BatchOptions, run_batch
from govreport.batch.worker import Task
from tests.govreport.batch.conftest import documents

REPO = Path(__file__).resolve().parents[3]


def _records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]


class _KillWorkerOn:
    """Kills, with SIGKILL, the worker handed the named document — as the kernel's OOM killer would."""

    def __init__(self, name: str):
        self.name = name
        self.killed: list[int] = []

    def started(self, task: Task, pid: int) -> None:
        if task.source.name == self.name:
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)


def test_a_worker_killed_by_a_signal_costs_only_its_document(synth_reports, slow_scan, tmp_path):
    texts = documents(synth_reports)[:4]
    observer = _KillWorkerOn(str(slow_scan))
    result = run_batch([texts[0], slow_scan, *texts[1:]], ExtractOptions(),
                       BatchOptions(out=tmp_path / "out", workers=2), observer)
    assert len(observer.killed) == 1
    records = {r["source"]: r for r in _records(tmp_path / "out")}
    assert len(records) == 5 and result.computed == 5 and result.ok == 4
    crashed = records[str(slow_scan)]
    assert crashed["error"]["code"] == "worker_crashed" and "SIGKILL" in crashed["error"]["message"]
    assert all(records[str(p)]["status"] == "ok" for p in texts)


def test_a_document_over_the_time_limit_gets_a_timeout_record(synth_reports, slow_scan, tmp_path):
    texts = documents(synth_reports)[:2]
    run_batch([slow_scan, *texts], ExtractOptions(), BatchOptions(out=tmp_path / "out", workers=1, doc_timeout=3.0))
    records = _records(tmp_path / "out")
    assert [r["source"] for r in records] == [str(slow_scan)] + [str(p) for p in texts]
    assert records[0]["error"]["code"] == "timeout" and [r["status"] for r in records[1:]] == ["ok", "ok"]


def test_kill_9_mid_batch_then_resume_gives_every_input_once_and_keeps_written_records(synth_reports, tmp_path):
    out = tmp_path / "out"
    journal = out / "extractions.jsonl"
    command = [sys.executable, "-m", "govreport.cli", "extract", str(synth_reports), "--out", str(out), "--workers", "1"]
    batch = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and batch.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.02)
    os.killpg(batch.pid, signal.SIGKILL)  # the batch and its workers, mid-write or not
    batch.wait()
    killed = journal.read_bytes()
    written = killed[: killed.rfind(b"\n") + 1]
    assert 3 <= written.count(b"\n") < 20, "the kill must land mid-batch"
    with journal.open("ab") as stream:
        stream.write(b'{"source": "torn')  # as if the kill had cut a write in half
    result = run_batch([synth_reports], ExtractOptions(), BatchOptions(out=out, workers=2))
    resumed = journal.read_bytes()
    assert resumed.startswith(written)  # records written before the kill: byte-identical, not redone
    sources = [r["source"] for r in _records(out)]
    assert sorted(sources) == sorted(str(p) for p in documents(synth_reports))  # every input exactly once
    assert result.computed == 20 - written.count(b"\n") and result.dropped_tail >= len(b'{"source": "torn')
