"""What every web area shares: the form kit (`forms`) and the view helpers (`views`)."""
