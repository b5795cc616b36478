"""Everything drawn for a person: consoles, views, the layers picture, the writer, and
every sentence a person reads."""
