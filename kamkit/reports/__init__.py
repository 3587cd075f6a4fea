"""What people read: report pages, the run's index, tables and exports.

* :mod:`kamkit.reports.html` - standalone HTML documents and pages of executed notebooks;
* :mod:`kamkit.reports.index` - the run's ``index.html``;
* :mod:`kamkit.reports.plan` - the account plan as a document and a workbook;
* :mod:`kamkit.reports.present` - tables formatted for people.
"""
