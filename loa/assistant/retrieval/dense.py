"""Optional dense retrieval: a local sentence-transformers model, never downloaded."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

logger = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into embeddings, one L2-normalised float row per text."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """An `Embedder` over a loaded sentence-transformers model."""

    def __init__(self, model: object, *, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as normalised float32 rows."""
        vectors = self.model.encode(  # type: ignore[attr-defined]
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(model_path: str | None) -> Embedder | None:
    """Load a sentence-transformers model from a local directory, or return None.

    Nothing is ever downloaded: the hub is switched offline before the import, and a
    missing package, directory or model file gives None with a logged warning.
    """
    if not model_path:
        return None
    path = Path(model_path).expanduser()
    if not path.is_dir():
        logger.warning(
            "Embedding model directory %s does not exist; dense retrieval is off.", path
        )
        return None
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        logger.warning(
            "sentence-transformers is not installed; dense retrieval is off."
        )
        return None
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception:  # noqa: BLE001 - any broken model directory means "no dense", not a crash
        logger.warning(
            "Could not load the embedding model from %s.", path, exc_info=True
        )
        return None
    return SentenceTransformerEmbedder(model)


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
