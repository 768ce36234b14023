"""What every template may ask of the access rules without a view passing it."""

from shiraka.accounts.access import is_member, may_manage_users


def access(request) -> dict:
    # Menus and links show only what the reader may open: an account without a membership is public.
    user = getattr(request, "user", None)
    return {"is_member": is_member(user), "may_manage_users": may_manage_users(user)}
