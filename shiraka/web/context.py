"""What every template may ask of the access rules without a view passing it."""

from shiraka.accounts.access import is_member


def access(request) -> dict:
    # Menus and links show only what the reader may open: an account without a membership is public.
    return {"is_member": is_member(getattr(request, "user", None))}
