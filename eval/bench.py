"""Benchmark sets: `data/bench/NAME/manifest.yaml`, each a folder of documents with gold beside them,
a synthetic set made on first use with a fixed seed that training never uses, or labelled reports
printed again from their gold (`from_gold`), also made on first use."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from extraction.inputs import expand_inputs

BENCH_DIR = Path(__file__).resolve().parents[1] / "data" / "bench"
CACHE_DIR = Path(__file__).resolve().parents[1] / "out" / "bench"


class SyntheticSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seed: int
    n: int
    styles: list[str]


class FromGoldSpec(BaseModel):
    """Every labelled report of a folder (relative to the manifest), drawn again from its gold in
    the styles taken in turn."""

    model_config = ConfigDict(extra="forbid")
    documents: str
    seed: int
    styles: list[str]


class BenchManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str
    documents_from: str | None = None
    synthetic: SyntheticSpec | None = None
    from_gold: FromGoldSpec | None = None


@dataclass(frozen=True)
class BenchDocument:
    doc_id: str
    path: Path
    gold: Path
    style: str
    made: dict | None = None  # a generated document's manifest entry: degradation, dpi, face, …


def list_benches(directory: Path = BENCH_DIR) -> list[str]:
    return sorted(p.parent.name for p in directory.glob("*/manifest.yaml"))


def load_bench(name: str, directory: Path = BENCH_DIR, cache: Path = CACHE_DIR) -> tuple[BenchManifest, list[BenchDocument]]:
    path = directory / name / "manifest.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no benchmark set {name!r}; known: {', '.join(list_benches(directory)) or 'none'}")
    manifest = BenchManifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if manifest.documents_from is not None:
        folder = (path.parent / manifest.documents_from).resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"benchmark {name}: document folder {folder} not found")
        return manifest, documents_with_gold(folder)
    if manifest.synthetic is not None:
        return manifest, synthetic_documents(manifest.synthetic, cache / name)
    if manifest.from_gold is not None:
        folder = (path.parent / manifest.from_gold.documents).resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"benchmark {name}: gold folder {folder} not found")
        return manifest, _from_gold_documents(manifest.from_gold, folder, cache / name)
    raise ValueError(f"benchmark {name}: the manifest names none of documents_from, synthetic, from_gold")


def style_of(path: Path) -> str:
    """A document's style: its form (text, pdf, docx, html…), from the suffix."""
    return {".txt": "text", ".md": "text", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}.get(
        path.suffix.lower(), path.suffix.lower().lstrip(".") or "unknown")


def documents_with_gold(folder: Path) -> list[BenchDocument]:
    """The documents of a folder that have a gold label beside them (`X.json`) or in `labels/`."""
    documents = []
    for path in expand_inputs([folder]):
        for gold in (path.with_suffix(".json"), folder / "labels" / f"{path.stem}.json"):
            if path.suffix != ".json" and gold.exists():
                documents.append(BenchDocument(path.stem, path, gold, style_of(path)))
                break
    return documents


def factory_fingerprint() -> str:
    """A digest of what makes synthetic documents (the factory's code, phrase bank and templates): a
    generated set made by another factory is stale and made again."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*(root / "training" / "synth").rglob("*.py"), *(root / "data" / "synth").glob("*.yaml"),
                        *(root / "data" / "templates").glob("*.yaml")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _generated(folder: Path, wanted: dict, make) -> list[BenchDocument]:
    """The set in `folder`, made again by `make()` unless its stamp says it was made as `wanted`."""
    stamp = folder / "bench-spec.json"
    wanted = {**wanted, "factory": factory_fingerprint()}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        make()
        stamp.write_text(json.dumps(wanted))
    return _manifest_documents(folder)


def synthetic_documents(spec: SyntheticSpec, folder: Path) -> list[BenchDocument]:
    """A synthetic set made in `folder` on first use (and again when the factory changed)."""
    from training.synth.factory import SynthOptions, synthesize

    return _generated(folder, spec.model_dump(), lambda: synthesize(
        SynthOptions(n=spec.n, seed=spec.seed, out=folder, styles=tuple(spec.styles))))


def _from_gold_documents(spec: FromGoldSpec, source: Path, folder: Path) -> list[BenchDocument]:
    from training.synth.factory import FromGoldOptions, synthesize_from_gold

    golds = tuple(sorted(d.gold for d in documents_with_gold(source)))
    # The golds' contents are part of the spec: a corrected label re-renders the set.
    wanted = {**spec.model_dump(), "golds": {str(g): hashlib.sha256(g.read_bytes()).hexdigest() for g in golds}}
    return _generated(folder, wanted, lambda: synthesize_from_gold(
        FromGoldOptions(golds=golds, seed=spec.seed, out=folder, styles=tuple(spec.styles))))


def _manifest_documents(folder: Path) -> list[BenchDocument]:
    """A generated set's documents, with the factory's manifest entry (how each was made) kept."""
    entries = [json.loads(line) for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return [BenchDocument(e["id"], folder / e["document"], folder / e["gold"], e["style"], e) for e in entries]
