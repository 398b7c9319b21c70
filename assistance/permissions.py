"""Who does what with support requests in the admin: "view" lists, reads, exports and sees
the figures; "process" (the model's change permission) replies, notes, assigns and moves
a request. Nobody adds, edits or deletes one there: requesters create them."""

from wagtail.permission_policies import ModelPermissionPolicy

from core.queues import ReviewPermissionPolicy

PROCESS = "process"


class SupportPermissionPolicy(ReviewPermissionPolicy):
    def __init__(self, model):
        super().__init__(model, editable=False)

    def user_has_permission(self, user, action):
        if action == PROCESS:
            return ModelPermissionPolicy.user_has_permission(self, user, "change")
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if PROCESS in actions:
            return ModelPermissionPolicy.users_with_any_permission(self, ["change"])
        return super().users_with_any_permission(actions)
