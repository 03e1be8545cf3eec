"""Sentences about computed results, checked where they stand on a page."""

from __future__ import annotations

import torch

__all__ = ["ClaimError", "claim"]


class ClaimError(AssertionError):
    """A sentence on a page no longer matches what the page computes."""


def claim(sentence: str, holds: bool | torch.Tensor) -> None:
    """Check that a sentence about computed results is true, and fail loudly when it is not.

    Pages put this in a hidden block next to the sentence it guards, so that a
    change to the package or the data that makes the sentence false fails the
    build, quoting it, instead of leaving a false sentence on the site.

    Args:
        sentence: The claim as the page words it (or a short quote of it).
        holds: Whether it is true: a ``bool``, or a one-element boolean tensor
            such as ``ratio > 100``.

    Raises:
        ClaimError: ``holds`` is false.
        TypeError: ``holds`` is not a bool or a one-element boolean tensor (a
            value such as a non-empty tuple would always count as true).
        ValueError: ``sentence`` is empty.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError("claim: sentence must be the non-empty text of the claim it checks")
    if isinstance(holds, torch.Tensor):
        if holds.dtype != torch.bool or holds.numel() != 1:
            raise TypeError(
                f"claim: holds must be a one-element boolean tensor, got dtype {holds.dtype} "
                f"and shape {tuple(holds.shape)}; compare it, e.g. (x > y).all()"
            )
        holds = bool(holds.item())
    elif not isinstance(holds, bool):
        raise TypeError(f"claim: holds must be a bool, got {type(holds).__name__}; compare values to get one")
    if not holds:
        raise ClaimError(f'claim no longer holds: "{sentence}"')
