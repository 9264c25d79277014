"""The evaluation report: Markdown tables (with targets met or missed, stated plainly) and PNG plots."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from evals.scoring import TARGETS, target_met

COLUMNS = ["recall@5", "mrr", "reader_ceiling", "answer_accuracy", "share_of_ceiling", "retrieval_misses",
           "reading_misses", "refusal_misses", "answer_precision", "leads", "lead_precision", "citation_precision",
           "citation_recall", "refusal_recall", "false_refusal_rate", "latency_p50_ms", "latency_p95_ms"]


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if metric.endswith(("_ms", "_misses", "leads")) else f"{value:.3f}"


def _table(rows: dict[str, dict[str, Any]], label: str) -> list[str]:
    lines = [f"| {label} | n | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for name, metrics in rows.items():
        lines.append(f"| {name} | {metrics['questions']} | " + " | ".join(_fmt(c, metrics[c]) for c in COLUMNS) + " |")
    return lines


def write_report(summary: dict[str, Any], out: Path) -> Path:
    configs = summary["configs"]
    first = next(iter(configs))
    lines = ["# Evaluation report", "",
             f"Generated {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} at commit `{_commit()}` on "
             f"`{summary['questions_file']}` (split: {summary['split'] or 'all'}, {summary['count']} questions), "
             f"backend `{summary['backend']}`, embedder `{summary['embedder']}`.", "",
             "## Configurations side by side", ""]
    lines += _table({name: c["overall"] for name, c in configs.items()}, "configuration")
    lines += ["", f"## Targets (configuration `{first}`)", ""]
    overall = configs[first]["overall"]
    for metric, (op, bound) in TARGETS.items():
        value = overall[metric]
        verdict = "met" if target_met(metric, value) else "**MISSED**"
        lines.append(f"- {metric}: {_fmt(metric, value)} (target {op} {bound}) — {verdict}")
    for key, title in (("by_type", "By question type"), ("by_language", "By language")):
        lines += ["", f"## {title} (configuration `{first}`)", ""]
        lines += _table(configs[first][key], key.removeprefix("by_"))
    failures = configs[first]["failures"]
    lines += ["", f"## Questions answered wrongly by `{first}` ({len(failures)})", "",
              "A retrieval miss: the top 5 passages lack a key fact; a reading miss: they hold every key fact "
              "(the reader's ceiling) but the answer does not state them; a refusal miss: an unanswerable "
              "question was answered.", ""]
    misses = configs[first].get("misses", {})
    for kind in ("retrieval", "reading", "refusal"):
        ids = [i for i in failures if misses.get(i) == kind]
        lines.append(f"- {kind} ({len(ids)}): " + (", ".join(ids) or "none"))
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plots(summary, out)
    return report


def _plots(summary: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = summary["configs"]
    first = next(iter(configs))
    metrics = ["recall@5", "answer_accuracy", "citation_precision", "citation_recall", "refusal_recall"]
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / max(1, len(configs))
    for i, (name, c) in enumerate(configs.items()):
        ax.bar([m + i * width for m in range(len(metrics))], [c["overall"][k] for k in metrics], width, label=name)
    ax.set_xticks([m + width * (len(configs) - 1) / 2 for m in range(len(metrics))], metrics)
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title("Metrics per configuration")
    fig.tight_layout()
    fig.savefig(out / "metrics_by_config.png", dpi=90)
    plt.close(fig)
    for key in ("by_type", "by_language"):
        groups = configs[first][key]
        fig, ax = plt.subplots(figsize=(10, 4))
        names = list(groups)
        ax.bar(names, [groups[n]["accuracy_all"] for n in names], color="#3b6ea5")
        ax.set_ylim(0, 1.05)
        ax.set_title(f"Accuracy {key.replace('_', ' ')} ({first})")
        plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
        fig.tight_layout()
        fig.savefig(out / f"accuracy_{key}.png", dpi=90)
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, c in configs.items():
        ax.hist(c["latencies"], bins=30, alpha=0.6, label=name)
    ax.set_xlabel("latency (ms)")
    ax.set_title("Latency distribution")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=90)
    plt.close(fig)
