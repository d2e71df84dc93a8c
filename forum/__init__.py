"""Forum (django-machina, app label "discussions") and live chat (forum.chat)."""
