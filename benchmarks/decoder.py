"""The constrained decoder on synthetic tables with controlled corruption.

Tables come from the synthetic value sampler (every identity holds unless a source break is put
in on purpose); the decoder sees them as row evidence, corrupted per condition:

- clean:        text readings as printed (blank cells lost, as flattening loses them) → no false repairs;
- ocr-1/ocr-2:  every value an OCR reading placed on its grid column (scans have ruled grids); 1 or
                2 digit units misread (look-alike, lost or doubled digit) at low confidence → exact
                recovery of every field;
- source-break: a total mistyped in the document itself (confident text) → the breaks reported,
                values kept as printed (precision/recall of reported breaks);
- glued:        one request row's values run together with no separator → the row split correctly,
                counted overall and where the identities allow only one split;
- shifted:      the grid puts one row's values a cell off → realigned.

Seeds are the benchmark's own (`decoder-bench:…`).

    python benchmarks/decoder.py --n 200
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from itertools import combinations

from extraction.decode.decoder import decode
from extraction.templates import load_templates
from training.synth.corrupt import as_ocr, evidence_from_fields, glue_row, misread_cells, shift_row
from training.synth.values import ValueOptions, sample_values

CONSISTENT = ValueOptions(source_break_share=0.0)
BROKEN = ValueOptions(source_break_share=1.0, all_zero_share=0.0, blank_share=0.0)


def _exact(decoded, fields) -> bool:
    return all(decoded.fields[k].value == v for k, v in fields.items())


def _splits_consistent_with(template, fields, row_key: str, glued: str) -> int:
    """How many splits of the glued run (into the row's printed cells, blanks lost) satisfy every
    identity with the other rows as they are: 1 means the identities allow only one split."""
    table, row = row_key.split(".", 1)
    spec = template.table(table)
    keys = [f"{table}.{row}.{c.key}" for c in spec.row_columns(next(r for r in spec.rows if r.key == row))]
    printed = [k for k in keys if fields[k] is not None]
    identities = [i for i in template.identities if any(k in keys for k in i.fields)]
    count = 0
    for parts_count in range(1, min(len(glued), len(keys)) + 1):
        for cuts in combinations(range(1, len(glued)), parts_count - 1):
            bounds = (0, *cuts, len(glued))
            parts = [glued[a:b] for a, b in zip(bounds, bounds[1:])]
            if any(len(p) > 1 and p[0] == "0" for p in parts):
                continue
            for positions in combinations(range(len(keys)), parts_count):
                trial = dict(fields)
                trial.update({k: None for k in keys})
                trial.update({keys[p]: int(v) for p, v in zip(positions, parts)})
                if all(i.holds(trial) for i in identities):
                    count += 1
                    if count > 1:
                        return count
    return count if printed else 1


def run(n: int) -> None:
    templates = load_templates()
    latencies: list[float] = []
    results: dict[str, list] = {}

    calibration: list[tuple[float, bool]] = []  # (confidence, right) of every field decoded

    def timed_decode(template, rows, truth=None):
        started = time.perf_counter()
        decoded = decode(template, rows)
        latencies.append(time.perf_counter() - started)
        for key, value in (truth or {}).items():
            calibration.append((decoded.fields[key].confidence, decoded.fields[key].value == value))
        return decoded

    decode(templates["2021"], [])  # load the solver once, outside the timings
    for index in range(n):
        rng = random.Random(f"decoder-bench:{index}")
        template = templates[rng.choice(["2019", "2021", "2021"])]

        sampled = sample_values(rng, template, CONSISTENT)
        decoded = timed_decode(template, evidence_from_fields(template, sampled.fields, rng), sampled.fields)
        false_repairs = sum(1 for f in decoded.fields.values() if f.repaired)
        results.setdefault("clean", []).append((_exact(decoded, sampled.fields), false_repairs,
                                                sum(c.source_breaks for c in decoded.checks)))

        for count in (1, 2):
            rows = evidence_from_fields(template, sampled.fields, rng, with_column_hints=True)  # scans have grids
            as_ocr(rows, rng)
            changed = misread_cells(rows, rng, count)
            if len(changed) == count:
                results.setdefault(f"ocr-{count}", []).append(_exact(timed_decode(template, rows, sampled.fields),
                                                                     sampled.fields))

        broken = sample_values(rng, template, BROKEN)
        decoded = timed_decode(template, evidence_from_fields(template, broken.fields, rng), broken.fields)
        reported = {c.identity for c in decoded.checks if c.source_breaks}
        results.setdefault("source-break", []).append((reported, set(broken.source_breaks),
                                                       _exact(decoded, broken.fields)))

        # The other rows keep their positions, so that "the identities allow one split" (checked
        # with the other rows as they are) is the decoder's situation too.
        rows = evidence_from_fields(template, sampled.fields, rng, with_column_hints=True)
        candidates = [r for r in rows if r.table == "requests" and len(r.units) >= 2]
        if candidates:
            row = rng.choice(candidates)
            glued = glue_row(row)
            unique = _splits_consistent_with(template, sampled.fields, f"{row.table}.{row.row}", glued) == 1
            decoded = timed_decode(template, rows, sampled.fields)
            # The split is judged on the glued row's own cells (elsewhere, text without positions
            # can leave blank cells ambiguous; the clean condition measures that).
            prefix = f"{row.table}.{row.row}."
            row_fields = {k: v for k, v in sampled.fields.items()
                          if k.startswith(prefix) and k.count(".") == prefix.count(".")}
            results.setdefault("glued", []).append((_exact(decoded, row_fields), unique))

        rows = evidence_from_fields(template, sampled.fields, rng, with_column_hints=True)
        shift_row(rng.choice([r for r in rows if r.table == "requests" and r.units]), by=rng.choice([-1, 1]))
        results.setdefault("shifted", []).append(_exact(timed_decode(template, rows, sampled.fields), sampled.fields))

    clean = results["clean"]
    print(f"documents per condition: {n} (templates 2019/2021 mixed)\n")
    print(f"clean, text:       exact {sum(e for e, _, _ in clean) / len(clean):.2%}; "
          f"false repairs {sum(r for _, r, _ in clean)}; false source breaks {sum(b for _, _, b in clean)}")
    for count in (1, 2):
        rates = results[f"ocr-{count}"]
        print(f"ocr, {count} misread:    exact recovery {sum(rates) / len(rates):.2%} ({sum(rates)}/{len(rates)})")
    breaks = results["source-break"]
    true_positive = sum(len(r & g) for r, g, _ in breaks)
    reported = sum(len(r) for r, _, _ in breaks)
    actual = sum(len(g) for _, g, _ in breaks)
    kept = sum(e for _, _, e in breaks)
    print(f"source breaks:     precision {true_positive / max(1, reported):.4f}, recall {true_positive / max(1, actual):.4f} "
          f"({true_positive}/{reported} reported, {actual} put in); values kept as printed in {kept}/{len(breaks)}")
    glued = results["glued"]
    unique = [e for e, u in glued if u]
    print(f"glued row:         split exactly {sum(e for e, _ in glued) / len(glued):.2%} overall; "
          f"{sum(unique) / max(1, len(unique)):.2%} ({sum(unique)}/{len(unique)}) where the identities allow one split")
    shifted = results["shifted"]
    print(f"shifted row:       realigned exactly {sum(shifted) / len(shifted):.2%}")
    print("\ncalibration (all fields of all conditions): confidence bucket → share right")
    for low, high in ((0.99, 1.01), (0.95, 0.99), (0.9, 0.95), (0.7, 0.9), (0.0, 0.7)):
        bucket = [right for confidence, right in calibration if low <= confidence < high]
        if bucket:
            print(f"  [{low:.2f}, {min(high, 1.0):.2f}]: {sum(bucket) / len(bucket):.4f} right of {len(bucket)} fields")
    ordered = sorted(latencies)
    print(f"\nlatency per document ({len(ordered)} decodes): median {statistics.median(ordered) * 1000:.1f} ms, "
          f"p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="documents per condition")
    run(parser.parse_args().n)


if __name__ == "__main__":
    main()
