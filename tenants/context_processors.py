from tenants.selectors import memberships_for_user


def current_tenant(request):
    """The tenant switcher's data, for the layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_tenant": getattr(request, "tenant", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": memberships_for_user(user=user),
    }
