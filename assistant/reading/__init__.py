"""Reading: from retrieved passages to a drafted answer, in three visible stages.

`features` (candidate sentences and what is measured of each; answer types from `questions`, named
entities from `annotations`, sentence vectors from `vectors`) -> `scorer` (fitted logistic regressions:
which sentence states the answer, whether the passages answer at all) -> `composer` (the direct answer
first, then the quoted sentences). `reader.Reader` runs them; `evals/fit_reader.py` fits the scorer.
"""
