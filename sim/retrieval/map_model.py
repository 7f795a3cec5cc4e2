"""A small Transformer over the query-candidate token similarity map (F4 in the reference notes).

The map has five channels: the cosine of every query token with every candidate token, each query token's
best match (row max) and each candidate token's best match (column max) as in the reference F4, plus where
those best matches are (one-hot), which makes the alignment's order, the cue for role swaps and for a
qualifier bound to the other entity, explicit. The map is padded to a fixed size.

Two readers: `patches` embeds 4x4 patches of the map (the reference's ViT-style F4); `rows` (the default)
embeds each query token's whole row, so every query token carries the exact position and strength of its
alignment, and attention across query tokens can check that the alignment keeps the query's order. A CLS
token is added, a few Transformer layers read the sequence, and tanh gives a score in [-1, 1].
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

CHANNELS = 5


@dataclass(frozen=True)
class MapShape:
    query_tokens: int = 32
    candidate_tokens: int = 48
    reader: str = "rows"  # "rows": one token per query token (its map row); "patches": ViT patches (F4)
    patch: int = 4
    hidden: int = 96
    layers: int = 2
    heads: int = 4

    @property
    def sequence(self) -> int:
        if self.reader == "rows":
            return self.query_tokens
        return (self.query_tokens // self.patch) * (self.candidate_tokens // self.patch)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def pad_tokens(matrices: list[torch.Tensor], length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack token matrices into [n, length, dim] (truncated or zero-padded) and their masks [n, length]."""
    dim = matrices[0].shape[-1]
    tokens = torch.zeros(len(matrices), length, dim, dtype=torch.float32)
    mask = torch.zeros(len(matrices), length, dtype=torch.bool)
    for i, matrix in enumerate(matrices):
        n = min(length, matrix.shape[0])
        tokens[i, :n] = matrix[:n]
        mask[i, :n] = True
    return tokens, mask


def similarity_maps(query: torch.Tensor, query_mask: torch.Tensor, candidates: torch.Tensor,
                    candidate_mask: torch.Tensor) -> torch.Tensor:
    """[B, Q, d] queries against [B, C, D, d] candidates -> [B, C, CHANNELS, Q, D] maps (padding cells 0)."""
    cosine = torch.einsum("bqe,bcde->bcqd", query, candidates)
    valid = query_mask[:, None, :, None] & candidate_mask[:, :, None, :]
    cosine = cosine.masked_fill(~valid, 0.0)
    floor = torch.finfo(cosine.dtype).min
    row = cosine.masked_fill(~valid, floor).amax(dim=3, keepdim=True).expand_as(cosine)
    col = cosine.masked_fill(~valid, floor).amax(dim=2, keepdim=True).expand_as(cosine)
    row_best = ((cosine == row) & valid).to(cosine.dtype)  # where each query token finds its best match
    col_best = ((cosine == col) & valid).to(cosine.dtype)  # where each candidate token finds its best match
    maps = torch.stack([cosine, row, col, row_best, col_best], dim=2)
    return maps.masked_fill(~valid[:, :, None], 0.0)


class MapVerifier(nn.Module):
    """Scores similarity maps: [N, CHANNELS, Q, D] -> [N] in [-1, 1]."""

    def __init__(self, shape: MapShape = MapShape()):
        super().__init__()
        self.shape = shape
        if shape.reader == "rows":
            self.embed = nn.Linear(CHANNELS * shape.candidate_tokens, shape.hidden)
        else:
            self.embed = nn.Conv2d(CHANNELS, shape.hidden, kernel_size=shape.patch, stride=shape.patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, shape.hidden))
        self.position = nn.Parameter(torch.randn(1, shape.sequence + 1, shape.hidden) * 0.02)
        layer = nn.TransformerEncoderLayer(shape.hidden, shape.heads, dim_feedforward=2 * shape.hidden,
                                           dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, shape.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(shape.hidden)
        self.head = nn.Linear(shape.hidden, 1)

    def forward(self, maps: torch.Tensor) -> torch.Tensor:
        if self.shape.reader == "rows":  # each query token reads its whole row: where and how well it aligns
            parts = self.embed(maps.permute(0, 2, 1, 3).flatten(2))  # [N, Q, hidden]
        else:
            parts = self.embed(maps).flatten(2).transpose(1, 2)  # [N, patches, hidden]
        tokens = torch.cat([self.cls.expand(len(parts), -1, -1), parts], dim=1) + self.position
        encoded = self.encoder(tokens)
        return torch.tanh(self.head(self.norm(encoded[:, 0])).squeeze(-1))
