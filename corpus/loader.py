"""Walk a corpus folder: read every document, skip bad ones with the reason, and report both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.document import Document
from corpus.errors import ConfigError, DocumentError
from corpus.readers import MAX_FILE_BYTES, SIDECAR_SUFFIX, read_document

IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.md", ".ds_store"}


@dataclass
class LoadReport:
    """The documents read and the files skipped, each with its reason."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[DocumentError] = field(default_factory=list)


def corpus_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every candidate document below `root` with its id (path relative to root, `/`-separated)."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.name.lower() in IGNORED_NAMES:
            continue
        yield path, rel.as_posix()


def load_corpus(root: Path, max_bytes: int = MAX_FILE_BYTES) -> LoadReport:
    """Read every document of the corpus folder; bad files, and files over `max_bytes`, are skipped and
    reported, never fatal."""
    if not root.is_dir():
        raise ConfigError(f"corpus folder not found: {root}",
                          "set PCA_CORPUS_DIR to the folder holding the documents")
    report = LoadReport()
    for path, doc_id in corpus_files(root):
        try:
            report.documents.append(read_document(path, doc_id, max_bytes))
        except DocumentError as err:
            report.skipped.append(err)
    return report
