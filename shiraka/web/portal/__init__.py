"""The public portal: what anonymous visitors (and everyone) read about the published portfolio."""
