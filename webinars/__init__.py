"""Webinar pages, registrations and calendars: filled by the toolkits and webinars issue."""
