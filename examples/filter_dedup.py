"""filter_dedup.py — filters and deduplicates a JSONL corpus with the tamis Python binding: the
decisions of `tamis filter --preset default` then `tamis dedup`, in ten lines. Usage (docs/PYTHON.md):
  make python && PYTHONPATH=build/python python3 examples/filter_dedup.py IN.jsonl OUT.jsonl"""
import sys
import tamis

docs = tamis.read(sys.argv[1])                  # dicts: id, text and every other field
kept = list(filter(tamis.Filter("default"), docs))  # a Filter is a predicate: True = kept
dedup = tamis.Deduplicator(threshold=0.8)       # MinHash-LSH near + exact duplicates
dedup.add_many(kept)
dedup.finish()
unique = [d for d, c in zip(kept, dedup.decisions()) if not c["removed"]]
tamis.write(unique, sys.argv[2])                # .gz / .zst compress
print(f"kept {len(kept)}, unique {len(unique)}, rejected {len(docs.rejects)}", file=sys.stderr)
