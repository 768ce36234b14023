from django.core.management.commands.shell import Command as DjangoShell


class Command(DjangoShell):
    """Django's shell, auto-importing the domain models but not their history twins."""

    def get_auto_imports(self):
        return [path for path in super().get_auto_imports() if ".Historical" not in path]
