"""The journal folder on disk: its names, its file formats, atomic writes, keys, the trash."""
