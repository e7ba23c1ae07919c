"""Reply drafts: the model and its file format, atomic I/O and locks, the store, autosave."""
