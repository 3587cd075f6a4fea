"""Language: translations, numbers and dates, glossary, the notebooks' narrative.

* :mod:`kamkit.text.i18n` - the current language, messages, number and date formats;
* :mod:`kamkit.text.catalogs` - the translation catalogs' tools
  (``python -m kamkit.text.catalogs``);
* :mod:`kamkit.text.glossary` - the method's terms in every language;
* :mod:`kamkit.text.narrative` - the notebooks' Markdown in the user's language.
"""
