def unread(request):
    """The count in the header (one indexed COUNT per page for signed-in people)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_notifications": unread_count(user)}
