"""The UI-free core of blogtui: feeds, comments, store, drafts and posting.

Nothing under this package imports textual or rich; a test proves it.
"""
