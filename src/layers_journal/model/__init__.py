"""The pure model: layers, lookback, review figures, query parsing, addressing, and the
model's result as bytes. No I/O, no clock."""
