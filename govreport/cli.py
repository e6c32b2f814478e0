"""`govreport` command line. Options are parsed here, once, into typed option objects that are
passed down; each subcommand imports its package only when it runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _synth(args: argparse.Namespace) -> int:
    from training.synth.factory import STYLES, SynthOptions, synthesize
    from training.synth.values import ValueOptions

    styles = tuple(s for part in args.styles for s in part.split(",") if s) if args.styles else tuple(STYLES)
    try:
        options = SynthOptions(
            n=args.n, seed=args.seed, out=args.out, styles=styles,
            values=ValueOptions(source_break_share=args.source_break_share, all_zero_share=args.all_zero_share,
                                blank_share=args.blank_share, collapsed_other_share=args.collapsed_other_share),
        )
    except ValueError as exc:
        print(f"govreport synth: {exc}", file=sys.stderr)
        return 2
    entries = synthesize(options)
    print(f"wrote {len(entries)} documents to {args.out} (manifest: {args.out / 'manifest.jsonl'})")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    import json
    import time

    from extraction.ingest import IngestError, Ingestor
    from extraction.inputs import expand_inputs
    from extraction.serialize import document_to_json

    ingestor = Ingestor(_ingest_options(args))
    inputs = expand_inputs(args.paths)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with (args.out / "documents.jsonl").open("w", encoding="utf-8") as out:
        for number, path in enumerate(inputs, start=1):
            started = time.monotonic()
            try:
                document = ingestor.ingest(path)
                record = {"source": str(path), "status": "ok", "error": None, "document": document_to_json(document)}
                summary = f"{len(document.pages)} pages, {len(document.tokens)} tokens"
                if document.errors:
                    summary += f", {len(document.errors)} page errors"
            except IngestError as exc:
                failed += 1
                record = {"source": str(path), "status": "error",
                          "error": {"code": exc.code.value, "message": exc.message}, "document": None}
                summary = f"error {exc.code.value}: {exc.message}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"[{number}/{len(inputs)}] {path}: {summary} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    print(f"ingested {len(inputs) - failed} of {len(inputs)} inputs into {args.out / 'documents.jsonl'}")
    return 0


def _ingest_options(args: argparse.Namespace):
    from extraction.ingest import IngestLimits, IngestOptions, OcrBackend, OcrOptions

    return IngestOptions(
        dpi=args.dpi, force_ocr=args.force_ocr,
        limits=IngestLimits(max_bytes=args.max_bytes, max_pages=args.max_pages, max_page_pixels=args.max_page_pixels,
                            max_sheet_cells=args.max_sheet_cells, max_convert_seconds=args.max_convert_seconds),
        ocr=OcrOptions(backend=OcrBackend(args.ocr_backend), paddle_model_dir=args.paddle_model_dir),
    )


def _inference_options(args: argparse.Namespace):
    from extraction.model.registry import InferenceOptions

    return InferenceOptions(threads=args.threads)


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="a trained locator model (name under models/, or a folder) in the locator "
                                        "slot instead of the rule-based locator (needs .[model])")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads for the model (default 1)")


def _add_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, help="files, folders (searched recursively), quoted globs; extract also reads .zip archives")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--dpi", type=int, default=150, help="rendering resolution for PDF pages read by OCR")
    parser.add_argument("--force-ocr", action="store_true", help="OCR every PDF page, text layer or not")
    parser.add_argument("--ocr-backend", choices=["rapidocr", "paddleocr"], default="rapidocr")
    parser.add_argument("--paddle-model-dir", help="paddleocr backend: folder with det/ and rec/ model dirs")
    parser.add_argument("--max-bytes", type=int, default=200 * 1024 * 1024)
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--max-page-pixels", type=int, default=80_000_000)
    parser.add_argument("--max-sheet-cells", type=int, default=2_000_000,
                        help="spreadsheets: cells in the sheets' used ranges, all sheets together")
    parser.add_argument("--max-convert-seconds", type=float, default=120.0,
                        help=".doc/.wps/.rtf: LibreOffice's time limit per file, then it is stopped")


def _extract(args: argparse.Namespace) -> int:
    from extraction.decode.decoder import DecoderOptions
    from extraction.pipeline import ExtractOptions
    from govreport.batch.archives import ArchiveLimits
    from govreport.batch.run import BatchOptions, Engine, run_batch

    extract = ExtractOptions(ingest=_ingest_options(args), decoder=DecoderOptions(), model=args.model,
                             inference=_inference_options(args))
    limits = extract.ingest.limits
    batch = BatchOptions(out=args.out, workers=args.workers, doc_timeout=args.doc_timeout or None, force=args.force,
                         engine=Engine(args.engine), ray_address=args.ray_address,
                         archive=ArchiveLimits(max_member_bytes=limits.max_bytes,
                                               max_compression_ratio=limits.max_compression_ratio))
    result = run_batch(args.paths, extract, batch)
    torn = f"; dropped a torn last line ({result.dropped_tail} bytes) left by a killed run" if result.dropped_tail else ""
    print(f"extracted {result.ok} of {result.inputs} inputs in {result.seconds:.1f} s into "
          f"{args.out / 'extractions.jsonl'} ({result.computed} computed, {result.reused} already done{torn}); "
          f"tables: fields.csv, fields.parquet, errors.csv, cross_year.csv, summary.md")
    return 0


def _export(args: argparse.Namespace) -> int:
    from extraction.templates import load_templates
    from govreport.batch.tables import export_tables

    if not args.journal.is_file():
        print(f"govreport export: no such file {args.journal}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    written = export_tables(args.journal, args.out, load_templates())
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    import os

    parser.add_argument("--workers", type=_positive, default=os.cpu_count() or 1,
                        help="worker processes (local engine) or actors (Ray); default: all cores")
    parser.add_argument("--doc-timeout", type=float, default=600.0,
                        help="seconds one document may take before it gets a timeout record (0: no limit; default 600)")
    parser.add_argument("--force", action="store_true",
                        help="redo every document, starting a new extractions.jsonl (default: skip those done)")
    parser.add_argument("--engine", choices=["local", "ray"], default="local",
                        help="local worker processes, or Ray Data (needs .[ray])")
    parser.add_argument("--ray-address", help="an existing Ray cluster (ray://host:10001 or auto); default: a local instance")


def _eval(args: argparse.Namespace) -> int:
    from eval.bench import list_benches
    from eval.harness import run_bench, score_predictions
    from eval.report import print_table, write_report
    from extraction.decode.decoder import DecoderOptions
    from extraction.ingest import IngestOptions
    from extraction.pipeline import ExtractOptions
    from extraction.templates import load_templates

    templates = load_templates()
    if args.bench:
        if args.bench not in list_benches():
            print(f"govreport eval: no benchmark set {args.bench!r}; known: {', '.join(list_benches())}", file=sys.stderr)
            return 2
        out = args.out or Path("out") / "eval" / args.bench
        options = ExtractOptions(IngestOptions(dpi=args.dpi), DecoderOptions(), model=args.model,
                                 inference=_inference_options(args))
        scores, info = run_bench(args.bench, templates, options, out)
        title, description = info["name"], info["description"]
    else:
        if not (args.pred and args.gold):
            print("govreport eval: give --bench NAME, or --pred RESULTS.jsonl with --gold DIR", file=sys.stderr)
            return 2
        out = args.out or Path("out") / "eval" / args.pred.stem
        scores, _ = score_predictions(args.pred, args.gold, templates)
        title, description = args.pred.name, f"{args.pred} scored against the gold labels in {args.gold}"
    print_table(title, {system: score.summary() for system, score in scores.items()})
    files = write_report(out, title, description, scores)
    print(f"report: {files['markdown']}, {files['html']}, {files['metrics']}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from extraction.ingest import IngestOptions
    from extraction.templates import load_templates
    from training.locator.options import DataOptions, TrainingOptions
    from training.locator.train import train

    data, options = _dataclass_from_args(DataOptions, args), _dataclass_from_args(TrainingOptions, args)
    if not data.data:
        print("govreport train: give --data DIR... (documents with gold X.json beside them)", file=sys.stderr)
        return 2
    summary = train(data, options, load_templates(), IngestOptions(dpi=args.dpi))
    print(f"trained on {summary['documents']} documents ({summary['windows']} windows) in "
          f"{summary['training_seconds']:.0f} s (labelling {summary['labelling_seconds']:.0f} s); "
          f"loss {summary['losses'][0][1]:.4f} → {summary['losses'][-1][1]:.4f}; model in {options.out}")
    for style, score in summary.get("held_out", {}).items():
        print(f"  held out {style:>13}: {score['documents']:3d} docs, value row {score['value_row']} (rules {score['rules_value_row']}), "
              f"heading {score['heading']} (rules {score['rules_heading']}), row label {score['row_label']}, token accuracy {score['token_accuracy']}, "
              f"entity F1 {score['entity_f1']}")
    return 0


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _review(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from review.app import ReviewConfig, create_app
        from review.results import ResultsError
    except ImportError as exc:
        print(f"govreport review: needs the review extra (pip install -e '.[review]'): {exc}", file=sys.stderr)
        return 2
    from extraction.model.registry import MODELS_DIR
    from extraction.templates import load_templates

    config = ReviewConfig(results=args.results, labels=args.labels or args.results / "labels", sources=args.sources,
                          model=args.model or MODELS_DIR / "default", dpi=args.dpi,
                          low_confidence=args.low_confidence)
    try:
        app = create_app(config, load_templates())
    except ResultsError as exc:
        print(f"govreport review: {exc}", file=sys.stderr)
        return 2
    print(f"reviewing {args.results} on http://{args.host}:{args.port}/ — labels go to {config.labels}")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _loopback(text: str) -> str:
    """The review page serves this machine only: a loopback address."""
    import ipaddress

    if text in LOOPBACK_HOSTS:
        return text
    try:
        if ipaddress.ip_address(text).is_loopback:
            return text
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text} is not a loopback address (127.0.0.1, ::1, localhost)")


def _add_dataclass_arguments(parser: argparse.ArgumentParser, options_class) -> None:
    """One option per field of an options dataclass, with the field's help text (as transformers'
    HfArgumentParser does for run_ner.py); lists take several values, `X | None` may be left out."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(options_class)
    for option in dataclasses.fields(options_class):
        hint = hints[option.name]
        flag = "--" + option.name.replace("_", "-")
        default = option.default if option.default is not dataclasses.MISSING else option.default_factory()
        help_text = f"{option.metadata['help']} (default: {default})"
        if typing.get_origin(hint) is list:
            parser.add_argument(flag, nargs="+", type=typing.get_args(hint)[0], default=default, help=help_text)
        else:
            kind = next((a for a in typing.get_args(hint) if a is not type(None)), hint)
            parser.add_argument(flag, type=kind, default=default, help=help_text)


def _dataclass_from_args(options_class, args: argparse.Namespace):
    import dataclasses

    return options_class(**{f.name: getattr(args, f.name) for f in dataclasses.fields(options_class)})


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govreport", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    synth = commands.add_parser("synth", help="write synthetic labelled reports (documents + gold + token annotations)")
    synth.add_argument("--n", type=int, required=True, help="number of documents")
    synth.add_argument("--seed", type=int, default=0, help="random seed; the same seed writes the same documents")
    synth.add_argument("--out", type=Path, required=True, help="output folder")
    synth.add_argument("--styles", action="append",
                       help="styles to render, comma separated or repeated (default: all); taken in turn")
    synth.add_argument("--source-break-share", type=_share, default=0.1,
                       help="share of documents that print a total breaking an identity (default 0.1)")
    synth.add_argument("--all-zero-share", type=_share, default=0.15, help="share of all-zero documents (default 0.15)")
    synth.add_argument("--blank-share", type=_share, default=0.08,
                       help="share of documents leaving zero cells blank (default 0.08)")
    synth.add_argument("--collapsed-other-share", type=_share, default=0.2,
                       help="share of 2021 documents printing （六）其他处理 as one row (default 0.2)")
    synth.set_defaults(run=_synth)

    ingest = commands.add_parser("ingest", help="read files into the token stream (JSONL of the document model)")
    _add_ingest_arguments(ingest)
    ingest.set_defaults(run=_ingest)

    extract = commands.add_parser("extract", help="extract reports (files, folders, globs, zips) into DIR/extractions.jsonl "
                                                  "(the spec's output format) and tables; resumable")
    _add_ingest_arguments(extract)
    _add_model_arguments(extract)
    _add_batch_arguments(extract)
    extract.set_defaults(run=_extract)

    export = commands.add_parser("export", help="rebuild a batch's tables (fields.csv, fields.parquet, errors.csv, "
                                                "cross_year.csv, summary.md) from its extractions.jsonl")
    export.add_argument("journal", type=Path, help="an extractions.jsonl")
    export.add_argument("--out", type=Path, required=True, help="output folder")
    export.set_defaults(run=_export)

    evaluate = commands.add_parser("eval", help="field-level accuracy: score predictions, or run a benchmark set")
    evaluate.add_argument("--bench", help="run the systems on a set in data/bench/ (real-dev, synth-text, …)")
    evaluate.add_argument("--pred", type=Path, help="a JSONL of output records to score")
    evaluate.add_argument("--gold", type=Path, help="folder of documents with gold labels beside them (X.json)")
    evaluate.add_argument("--out", type=Path, help="report folder (default out/eval/NAME)")
    evaluate.add_argument("--dpi", type=int, default=150, help="rendering resolution for pages read by OCR")
    _add_model_arguments(evaluate)
    evaluate.set_defaults(run=_eval)

    from training.locator.options import DataOptions, TrainingOptions

    training = commands.add_parser("train", help="train the locator model on labelled documents (needs .[model])")
    _add_dataclass_arguments(training, DataOptions)
    _add_dataclass_arguments(training, TrainingOptions)
    training.add_argument("--dpi", type=int, default=150, help="rendering resolution for pages read by OCR")
    training.set_defaults(run=_train)

    review = commands.add_parser("review", help="a local web page to check extractions and save corrections as "
                                                "gold labels (needs .[review])")
    review.add_argument("results", type=Path, help="an `extract --out` folder (with extractions.jsonl)")
    review.add_argument("--labels", type=Path, help="folder for verified labels: gold X.json with a copy of "
                                                    "the document X.* beside it (default RESULTS/labels)")
    review.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    review.add_argument("--host", type=_loopback, default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    review.add_argument("--sources", type=Path, default=Path("."),
                        help="folder the records' relative sources are read from: where extract ran (default .)")
    review.add_argument("--model", type=Path, help="the locator model whose last training is shown "
                                                   "(default models/default)")
    review.add_argument("--dpi", type=int, default=150, help="the dpi extract read scans at (boxes are in its pixels)")
    review.add_argument("--low-confidence", type=_share, default=0.95,
                        help="fields under this confidence count as doubtful in the queue (default 0.95)")
    review.set_defaults(run=_review)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
