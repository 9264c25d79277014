"""Evaluation: the benchmark questions, the metrics, the harness and the speed benchmarks."""
