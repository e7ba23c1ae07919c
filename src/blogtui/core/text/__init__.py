"""Text from the network: the one sanitiser and the one bounded HTML-to-text path."""
