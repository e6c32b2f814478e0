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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
