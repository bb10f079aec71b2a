"""The explorer: HTML pages for people, over the JSON API's own readers (issue 16)."""
