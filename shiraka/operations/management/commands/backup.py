from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shiraka.operations.backups import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (one consistent snapshot, taken while the app keeps writing) and the "
        "uploaded files into one tar file with a manifest of per-table row hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target", nargs="?", help="the .tar file to write (default: DATA_DIR/backups/shiraka-<time>.tar)"
        )

    def handle(self, *args, **options):
        if options["target"]:
            target = Path(options["target"]).resolve()
        else:
            target = Path(settings.DATA_DIR) / "backups" / f"shiraka-{datetime.now():%Y%m%d-%H%M%S}.tar"
            target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.is_dir():
            raise CommandError(f"no such folder: {target.parent}", returncode=2)
        if target.exists():
            raise CommandError(f"{target} exists: a backup is never overwritten", returncode=2)
        manifest = backup_create(target)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"{target}: {manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files']) - 1} uploaded files"
        )
