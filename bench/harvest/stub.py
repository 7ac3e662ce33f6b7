#!/usr/bin/env python3
"""A local stand-in for OpenAlex's API, for the harvest benchmark: N synthetic works (four
authors each from a pool of N/4, two institutions, a 120-word abstract as an inverted index, a
topic) served as `/works` pages by `cursor` and `per-page`, and `/authors` and `/institutions` by
`ids.openalex:A1|A2|...`, in the API's response shape. `--dump DIR` also writes the same records
as files the importer reads, so the benchmark can import them side by side."""
import argparse, json, os, random
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs

WORDS = ("gradient descent convergence separable data margin implicit bias network training rate loss "
         "stochastic optimisation linear classifier theory bound sample kernel feature layer depth width").split()

def make(n):
    rng = random.Random(1)
    authors_n = max(n // 4, 8)
    insts = [{"id": f"https://openalex.org/I8{i:08}", "display_name": f"Bench Institute {i}",
              "ror": f"https://ror.org/08{i:07}", "country_code": "NL", "type": "education",
              "homepage_url": f"https://bench{i}.example.org"} for i in range(1, max(authors_n // 50, 2) + 1)]
    authors = []
    for a in range(1, authors_n + 1):
        inst = insts[a % len(insts)]
        authors.append({"id": f"https://openalex.org/A8{a:08}", "display_name": f"Bench Author {a}", "orcid": None,
                        "cited_by_count": a % 300, "summary_stats": {"h_index": a % 20, "i10_index": a % 7},
                        "affiliations": [{"institution": inst, "years": [2025]}],
                        "last_known_institutions": [inst], "topics": [],
                        "counts_by_year": [{"year": 2025, "works_count": 2, "cited_by_count": 3}]})
    works = []
    for w in range(1, n + 1):
        byline = rng.sample(range(authors_n), 4)
        words = [rng.choice(WORDS) for _ in range(120)]
        index = {}
        for i, word in enumerate(words):
            index.setdefault(word, []).append(i)
        works.append({
            "id": f"https://openalex.org/W8{w:09}", "doi": f"https://doi.org/10.5555/bench.{w}",
            "title": f"Bench work {w}: " + " ".join(words[:6]), "display_name": f"Bench work {w}",
            "publication_year": 2000 + w % 26, "publication_date": f"{2000 + w % 26}-0{1 + w % 9}-1{w % 9}",
            "type": "article", "cited_by_count": w % 97, "open_access": {"is_oa": w % 2 == 0},
            "primary_location": {"is_oa": w % 2 == 0, "landing_page_url": None,
                                 "source": {"id": "https://openalex.org/S800000001", "display_name": "Journal of Benchmarks"}},
            "authorships": [{"author_position": "first" if i == 0 else "middle",
                             "author": {"id": authors[a]["id"], "display_name": authors[a]["display_name"], "orcid": None},
                             "institutions": [authors[a]["last_known_institutions"][0]],
                             "raw_author_name": authors[a]["display_name"]} for i, a in enumerate(byline)],
            "topics": [{"id": "https://openalex.org/T800000001", "display_name": "Benchmarking", "score": 0.9}],
            "concepts": [], "abstract_inverted_index": index, "referenced_works": [],
        })
    return works, authors, insts

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--works", type=int, default=5000)
    parser.add_argument("--dump")
    args = parser.parse_args()
    works, authors, insts = make(args.works)
    if args.dump:
        for name, records in (("works", works), ("authors", authors), ("institutions", insts)):
            with open(os.path.join(args.dump, f"{name}.jsonl"), "w") as f:
                for r in records:
                    f.write(json.dumps(r) + "\n")
    by_id = {r["id"].rsplit("/", 1)[1]: r for r in authors + insts}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, results, count, per_page, next_cursor):
            body = json.dumps({"meta": {"count": count, "per_page": per_page, "next_cursor": next_cursor},
                               "results": results, "group_by": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/healthz":
                return self.answer([], 0, 0, None)
            if url.path == "/works":
                cursor = q.get("cursor", "*")
                offset = 0 if cursor == "*" else int(cursor[1:])
                size = min(int(q.get("per-page", "25")), 200)
                page = works[offset:offset + size]
                nxt = f"o{offset + size}" if offset < len(works) else None
                return self.answer(page, len(works), size, nxt)
            if url.path in ("/authors", "/institutions"):
                ids = q.get("filter", "").removeprefix("ids.openalex:").split("|")
                found = [by_id[i] for i in ids if i in by_id]
                return self.answer(found, len(found), 200, None)
            self.send_response(404)
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()

if __name__ == "__main__":
    main()
