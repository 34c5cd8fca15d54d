"""IPython kernel configuration of the course environment: no eavesdropping notice per page.

``make`` copies this file to ``.venv/etc/ipython/ipython_kernel_config.py``, where every
ipykernel started from the course's ``.venv`` reads it (IPython's per-environment config
folder, ``sys.prefix/etc/ipython``): the kernels that execute the book's pages, those of
``make notebooks`` (nbval) and those of ``make lab``.

ipykernel logs, at every start, "Kernel is running over TCP without encryption ... susceptible
to eavesdropping". These kernels listen on 127.0.0.1 only, for a client on the same machine, so
the notice tells the reader nothing, yet the book's build printed it once per page. This file
drops that one message from the kernel application's logger, and the traceback of a
shutdown request that fails as the kernel exits (:class:`ShutdownControlError`); every other
kernel message, warning or error, still shows.

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


class ShutdownControlError(logging.Filter):
    """Drops the traceback of a control request (a shutdown) that fails as the kernel exits.

    When a page's kernel is shut down, pyzmq's stream can run the control handler
    (``dispatch_control``) while the kernel is already closing; the error is logged to
    ``tornado.general`` as "Uncaught exception in ZMQStream callback", with a traceback into
    ipykernel, and the build printed it under a page that had run correctly. Only that record
    is dropped: a page's own errors reach the build through the execution reply, not this log.

    >>> try:
    ...     def dispatch_control():
    ...         raise RuntimeError("closing")
    ...     dispatch_control()
    ... except RuntimeError:
    ...     import sys
    ...     record = logging.LogRecord("tornado.general", logging.ERROR, __file__, 1,
    ...         "Uncaught exception in ZMQStream callback", None, sys.exc_info())
    >>> ShutdownControlError().filter(record)
    False
    >>> record.exc_info = None
    >>> ShutdownControlError().filter(record)
    True
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Uncaught exception in ZMQStream callback"):
            return True
        traceback = record.exc_info[2] if record.exc_info else None
        while traceback is not None:
            if traceback.tb_frame.f_code.co_name == "dispatch_control":
                return False
            traceback = traceback.tb_next
        return True


class PlainTcpNotice(logging.Filter):
    """Drops ipykernel's "running over TCP without encryption" notice, and only that."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Kernel is running over TCP without encryption")


# ipykernel's IPKernelApp logs through the logger named after its class.
_logger = logging.getLogger("IPKernelApp")
if not any(isinstance(f, PlainTcpNotice) for f in _logger.filters):
    _logger.addFilter(PlainTcpNotice())

# pyzmq logs failed stream callbacks through tornado's general logger.
_stream_logger = logging.getLogger("tornado.general")
if not any(isinstance(f, ShutdownControlError) for f in _stream_logger.filters):
    _stream_logger.addFilter(ShutdownControlError())
