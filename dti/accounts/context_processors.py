from .selectors import access_for


def access(request):
    # An error page for a request refused before sign-in was read (a bad Host header, say) has no user.
    if not hasattr(request, "user"):
        return {}
    return {"access": access_for(request)}
