"""`python -m layers_journal` and the `journal` console script."""

from __future__ import annotations


def main() -> None:
    from .cli import main as run

    run()


if __name__ == "__main__":
    main()
