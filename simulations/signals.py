from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import visitor_simulation_keep


@receiver(user_logged_in, dispatch_uid="simulations_keep_visitor")
def keep_visitor_simulation(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        kept = visitor_simulation_keep(session=request.session, user=user)
        if kept is not None:
            messages.info(request, f"Votre simulation est enregistrée dans votre compte : « {kept.name} ».")
