"""Forum (django-machina) and live chat: filled by the forum and chat issue."""
