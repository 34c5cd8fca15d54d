"""IPython kernel configuration of the course environment: no eavesdropping notice per page.

``make`` copies this file to ``.venv/etc/ipython/ipython_kernel_config.py``, where every
ipykernel started from the course's ``.venv`` reads it (IPython's per-environment config
folder, ``sys.prefix/etc/ipython``): the kernels that execute the book's pages, those of
``make notebooks`` (nbval) and those of ``make lab``.

ipykernel logs, at every start, "Kernel is running over TCP without encryption ... susceptible
to eavesdropping". These kernels listen on 127.0.0.1 only, for a client on the same machine, so
the notice tells the reader nothing, yet the book's build printed it once per page. This file
drops that one message from the kernel application's logger; every other kernel message,
warning or error, still shows.

Examples
--------
>>> import logging
>>> record = logging.LogRecord(
...     "IPKernelApp", logging.WARNING, __file__, 1,
...     "Kernel is running over TCP without encryption. All communication ...", None, None)
>>> PlainTcpNotice().filter(record)
False
>>> record.msg = "Failed to load connection file"
>>> PlainTcpNotice().filter(record)
True
"""

from __future__ import annotations

import logging


class PlainTcpNotice(logging.Filter):
    """Drops ipykernel's "running over TCP without encryption" notice, and only that."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Kernel is running over TCP without encryption")


# ipykernel's IPKernelApp logs through the logger named after its class.
_logger = logging.getLogger("IPKernelApp")
if not any(isinstance(f, PlainTcpNotice) for f in _logger.filters):
    _logger.addFilter(PlainTcpNotice())
