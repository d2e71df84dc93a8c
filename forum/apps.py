from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class DiscussionsConfig(AppConfig):
    # machina owns the label "forum" (and "forum_*"), hence "discussions".
    name = "forum"
    label = "discussions"
    verbose_name = "Forum"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from machina.apps.forum_conversation.receivers import update_topic_counter
        from machina.apps.forum_conversation.signals import topic_viewed
        from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack
        from machina.apps.forum_tracking.receivers import update_user_trackers

        from .fragments import read_mark_written
        from .models import Notification
        from .permissions import connect_rights_signals, mark_topic_read_on_view
        from .services import notification_written
        from .tree import ensure_forum_tree

        connect_rights_signals()
        # The header's unread count is kept in the cache until a notification changes.
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                notification_written, sender=Notification, dispatch_uid=f"notification_{name}"
            )
        # What was built from a member's read marks is rebuilt once they change.
        for model in (ForumReadTrack, TopicReadTrack):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    read_mark_written, sender=model, dispatch_uid=f"reads_{model.__name__}_{name}"
                )
        # machina's unread tracking, in fewer queries (permissions.py).
        topic_viewed.disconnect(update_user_trackers)
        topic_viewed.connect(mark_topic_read_on_view, dispatch_uid="discussions.topic_read")
        # machina counts a topic's views with a write on every view; no page shows the count.
        topic_viewed.disconnect(update_topic_counter)

        # After every migrate (and every test flush): machina's permission rows and the role
        # groups exist only then, so a data migration could not grant them.
        post_migrate.connect(ensure_forum_tree, sender=self, dispatch_uid="discussions.tree")
