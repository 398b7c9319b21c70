from django.dispatch import Signal

# Sent with `user` once the establishments they belong to have changed (registration, an
# attachment staff approved): apps granting rights per establishment bring theirs in step.
user_establishments_changed = Signal()
