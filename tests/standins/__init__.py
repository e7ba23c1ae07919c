"""Loopback stand-ins for hosted comment services that cannot be installed here (Disqus,
Discourse, Blogger), each written from the service's public API documentation: field names,
paging, error bodies and rate-limit headers as documented. Each serves on 127.0.0.1 only."""
