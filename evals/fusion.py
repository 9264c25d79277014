"""How the hybrid search fuses BM25 with the vectors: recall@5 and facts@5 on dev, side by side.

`python -m evals.fusion` runs the dev split's retrieval questions under several lexical weights
(`index.retriever.SearchConfig.lexical_weight`; the vectors weigh 1) and fusion constants (`rrf_k`) and
prints, for each pair, the share whose first five passages come from a gold document (recall@5) and the
share whose first five passages hold every key fact (facts@5, overall and by the question's language): the
passages the reader answers from. The pair kept in `SearchConfig` is chosen here, on dev, for facts@5 with
recall@5 kept; the test split is only reported.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from evals.questions import Question, load_questions
from evals.retrieval import RetrievalScores, evaluate_retrieval, format_table
from index.retriever import HybridSearcher

WEIGHTS = (0.5, 0.75, 1.0, 1.5, 2.0)
CONSTANTS = (10, 20)


def sweep(searcher: HybridSearcher, questions: list[Question], weights: tuple[float, ...] = WEIGHTS,
          constants: tuple[int, ...] = CONSTANTS) -> list[RetrievalScores]:
    """The retrieval scores of the hybrid search under each lexical weight and fusion constant, the rest of
    its config kept."""
    return [evaluate_retrieval(searcher, questions, f"BM25 x{weight:g}, k {constant}",
                               replace(searcher.config, lexical_weight=weight, rrf_k=constant, timings={}))
            for constant in constants for weight in weights]


def main(argv: list[str] | None = None) -> None:
    from assistant.service import Services
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", help="benchmark split to measure on (default: dev)")
    parser.add_argument("--weights", type=float, nargs="+", default=list(WEIGHTS), help="lexical weights to try")
    parser.add_argument("--constants", type=int, nargs="+", default=list(CONSTANTS), help="fusion constants to try")
    args = parser.parse_args(argv)
    searcher = Services(Settings()).searcher
    results = sweep(searcher, load_questions(split=args.split), tuple(args.weights), tuple(args.constants))
    kept = searcher.config
    print(f"# Fusion of the hybrid search ({args.split} split; kept: BM25 x{kept.lexical_weight:g}, "
          f"k {kept.rrf_k})\n")
    print(format_table(results))


if __name__ == "__main__":
    main()
