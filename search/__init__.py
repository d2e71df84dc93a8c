"""One search service over the resource library: filled by the search issue."""
