"""Provider batch APIs: many chat requests in one uploaded file, answered within a day at about half
the price. Four small parts, each with one concept:

- ``dialects``: what each provider's batch API wants (line URL, upload purpose, limits), as data;
- ``lines``: the JSONL lines we send (``custom_id`` and body), shards within the limits, and the
  result lines we read back;
- ``client``: the files and batches calls through the openai SDK (retries, time and errors from
  ``backends.provider``, as for the chat backend);
- ``ledger``: the durable record (SQLite) of every request, shard and remote batch, so that every
  step can resume after a crash.

The SDK is imported by ``client`` only, and ``client`` only when a command talks to a provider.
"""

from .dialects import Dialect, dialect_for

__all__ = ["Dialect", "dialect_for"]
