"""Damaged Chroma vector files on a copy of a real index (issue 14), through the real `assistant` command.

Random bytes written into the HNSW `data_level0.bin` used to crash every command (exit 139, no message) and a
truncated file gave wrong answers silently. Now each command names the damage and the fix, `serve` refuses
to start, and `assistant index --repair` moves the store aside unopened and restores the vectors kept with the
index, after which the answers are those given before the damage.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REAL_CORPUS

pytestmark = pytest.mark.integration
ASSISTANT = Path(sys.executable).with_name("assistant")
QUESTION = "Which principle defends electoral processes?"
ASKED = "When was the Paris Call launched?"
FIX = "hint: run `assistant index --repair`"


def _random_bytes(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(os.urandom(200_000))


def _truncated(path: Path) -> None:
    os.truncate(path, 1_000_000)


def _random_links(path: Path) -> None:
    links = path.with_name("link_lists.bin")
    with open(links, "r+b") as handle:
        handle.write(os.urandom(links.stat().st_size))


@pytest.fixture
def copy_env(real_data_dir: Path, tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    shutil.copytree(real_data_dir, data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCA_")}
    env.update(PCA_DATA_DIR=str(data), PCA_CORPUS_DIR=str(REAL_CORPUS), PCA_PORT="0")
    return env


def run(env: dict, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    done = subprocess.run([str(ASSISTANT), *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode >= 0, f"{args} died of signal {-done.returncode}"  # never a crash
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def top_documents(env: dict) -> list[str]:
    done = run(env, "search", QUESTION, "--json", "--k", "5")
    assert done.returncode == 0, done.stderr
    return [hit["doc_id"] for hit in json.loads(done.stdout)]


@pytest.mark.parametrize("damage", [_random_bytes, _truncated, _random_links],
                         ids=["random-bytes", "truncated", "random-links"])
def test_a_damaged_vector_file_is_named_refused_and_repaired(copy_env: dict, damage):
    data = Path(copy_env["PCA_DATA_DIR"])
    before, answered = top_documents(copy_env), run(copy_env, "ask", ASKED)
    assert answered.returncode == 0 and before[0] == "declaration/principles-en.md"
    (level0,) = (data / "chroma").glob("*/data_level0.bin")
    damage(level0)

    for command in (["search", QUESTION], ["ask", ASKED], ["index", "--quiet"], ["serve"]):
        done = run(copy_env, *command, timeout=300)
        assert done.returncode == 2, (command, done.stdout, done.stderr)  # refused: no answer, no page served
        assert "is damaged" in done.stderr and FIX in done.stderr and not done.stdout.strip(), (command, done.stderr)

    repaired = run(copy_env, "index", "--repair", "--quiet")
    assert repaired.returncode == 0 and "index damaged: the Chroma store" in repaired.stdout, repaired.stderr
    assert "vectors restored from the copy kept with the index, 0 embedded again" in repaired.stdout
    assert [p.name for p in data.glob("chroma-damaged-*")]  # moved aside, not deleted

    assert top_documents(copy_env) == before  # the same passages as before the damage
    again = run(copy_env, "ask", ASKED)
    assert again.returncode == 0 and again.stdout == answered.stdout
    checked = run(copy_env, "index", "--repair", "--quiet")
    assert checked.returncode == 0 and checked.stdout.startswith("index checked"), checked.stdout
