"""Speed machinery, private: nothing outside :mod:`kamkit.data` imports it.

* :mod:`kamkit._fast.codes` - Arrow dictionary codes for long text columns;
* :mod:`kamkit._fast.streaming` - summing transactions batch by batch without holding them.

The one entry is :func:`kamkit.data.portfolio.load` (``lean`` loads, ``lines=False``):
every result equals the plain computation's, which the tests check.
"""
