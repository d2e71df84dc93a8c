"""Animation catalogue, bookings, tours, funds and impact figures: filled by the events issue."""
