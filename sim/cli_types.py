"""Argument types and the parser of the `cascadesim` command: numbers checked where they are read, and every
argument error as one line with exit status 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (`cascadesim run: argument --cases: ...`), exit status 2."""

    def error(self, message: str):  # noqa: ANN201 - argparse's signature
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def at_least(minimum: float, kind: type = int) -> Callable[[str], float]:
    """An argparse type: a number of `kind` that is >= `minimum`."""
    noun = "a whole number" if kind is int else "a number"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}; expected {noun} >= {minimum}") from None
        if not value >= minimum:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text}; expected {noun} >= {minimum}")
        return value

    parse.__name__ = noun  # argparse names the type in its messages
    return parse


def above(minimum: float) -> Callable[[str], float]:
    """An argparse type: a finite number greater than `minimum`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}; expected a number > {minimum}") from None
        if not (minimum < value < float("inf")):
            raise argparse.ArgumentTypeError(f"{text}; expected a finite number > {minimum}")
        return value

    parse.__name__ = "number"
    return parse


def number_list(item: Callable[[str], float]) -> Callable[[str], list]:
    """An argparse type: comma-separated values, each checked by `item`."""

    def parse(text: str) -> list:
        return [item(part.strip()) for part in text.split(",")]

    parse.__name__ = "list"
    return parse


def choice_list(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    """An argparse type: comma-separated names, each one of `choices`."""

    def parse(text: str) -> list[str]:
        names = [part.strip() for part in text.split(",")]
        unknown = [n for n in names if n not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)}; expected any of {', '.join(choices)}")
        return names

    parse.__name__ = "list"
    return parse


def share(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}; expected a number from 0 to 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text}; expected a number from 0 to 1")
    return value
