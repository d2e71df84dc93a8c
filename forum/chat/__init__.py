"""Live chat rooms and direct conversations over Channels websockets."""
