"""The data: the model, reading, validation and the bundled and synthetic portfolios.

* :mod:`kamkit.data.schema` - the data model (tables, columns, rules);
* :mod:`kamkit.data.readers` - CSV, Excel and Parquet files to tables;
* :mod:`kamkit.data.validation` - every check, with file, column and row;
* :mod:`kamkit.data.portfolio` - :func:`load` and the :class:`Portfolio` every stage reads;
* :mod:`kamkit.data.sales` - net revenue by account and rolling year;
* :mod:`kamkit.data.synth` - the Company X case and synthetic portfolios;
* :mod:`kamkit.data.template` - the empty template and the data dictionary;
* :mod:`kamkit.data.labels` - how each column and category value is named for people.

The JSON and Markdown files next to these modules are the case's story and the
synthetic generator's pools.
"""
