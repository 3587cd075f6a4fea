"""Running the notebooks: the pipeline, its kernels, the files it writes.

* :mod:`kamkit.run.batch` - ``kamkit run``: plans, runs and resumes the pipeline;
* :mod:`kamkit.run.kernels` - kernels forked from a warm template, and ended with their
  notebook;
* :mod:`kamkit.run.notebooks` - the kit's own notebooks, their parameters, regeneration.
"""
