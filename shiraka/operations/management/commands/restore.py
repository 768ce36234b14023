from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shiraka.operations.backups import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup made by `shiraka backup`, after "
        "checking every file and every table's row hash against its manifest (a backup that does not "
        "match is refused and nothing is changed). A SQLite backup restores into PostgreSQL too (a move)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the .tar file written by `shiraka backup`")

    def handle(self, *args, **options):
        source = Path(options["source"])
        if not source.is_file():
            raise CommandError(f"no such file: {source}", returncode=2)
        try:
            manifest = backup_restore(source)
        except BackupRefused as refusal:
            raise CommandError(f"backup refused, nothing changed: {refusal}") from refusal
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"restored {source} ({manifest['engine']} backup of {manifest['created_at']}): "
            f"{len(manifest['tables'])} tables, {rows} rows, identical row hashes"
        )
