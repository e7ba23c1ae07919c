"""The widgets of the TUI."""
