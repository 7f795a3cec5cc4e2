"""Token matrices for the map verifier: frozen (cached MiniLM token vectors) or trainable (top layers tuned)."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from sim.retrieval.late_interaction import MaxSimScorer
from sim.retrieval.map_model import pad_tokens


class FrozenTokens:
    """Normalised token vectors of a fixed encoder, read from the on-disk token cache (the MaxSim one)."""

    def __init__(self, encoder: str | None = None):
        self.source = MaxSimScorer(encoder)

    def prepare(self, texts: list[str]) -> None:
        """Encode (or read from the cache) every text once, ahead of training."""
        self.source.tokens(sorted(set(texts)))

    def __call__(self, texts: list[str], length: int) -> tuple[torch.Tensor, torch.Tensor]:
        return pad_tokens([torch.from_numpy(m) for m in self.source.tokens(texts)], length)


class TrainableTokens(torch.nn.Module):
    """MiniLM with its top `layers` Transformer layers trainable; the rest (and the embeddings) frozen."""

    def __init__(self, path: Path, layers: int):
        super().__init__()
        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        bert = self.model[0].auto_model
        for parameter in bert.parameters():
            parameter.requires_grad = False
        for layer in bert.encoder.layer[len(bert.encoder.layer) - layers:]:
            for parameter in layer.parameters():
                parameter.requires_grad = True

    def prepare(self, texts: list[str]) -> None:
        """Nothing to precompute: the encoder changes as it trains."""

    def forward(self, texts: list[str], length: int) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.model.tokenize(texts)
        inputs = {name: features[name] for name in ("input_ids", "attention_mask", "token_type_ids")
                  if name in features}
        out = self.model[0].auto_model(**inputs)  # the whole text, as at inference; then cut to `length`
        tokens = torch.nn.functional.normalize(out.last_hidden_state[:, :length], dim=-1)
        mask = inputs["attention_mask"][:, :length].bool()
        tokens = tokens * mask[..., None]
        if tokens.shape[1] < length:
            tokens = torch.nn.functional.pad(tokens, (0, 0, 0, length - tokens.shape[1]))
            mask = torch.nn.functional.pad(mask, (0, length - mask.shape[1]))
        return tokens, mask

    def save_tuned(self, path: Path) -> None:
        """Only the tuned layers (the rest is the bundled MiniLM): small enough to ship in the repository."""
        bert = self.model[0].auto_model
        torch.save({name: p.detach().clone() for name, p in bert.named_parameters() if p.requires_grad}, path)
