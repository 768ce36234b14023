"""Operating a deployment: backups and restores (`shiraka backup`, `shiraka restore`)."""
