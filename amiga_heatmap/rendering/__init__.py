"""What renderers share: parsing and checking the ``--kwargs`` renderer options."""
