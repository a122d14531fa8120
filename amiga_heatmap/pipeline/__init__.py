"""The pipeline stages from input files to an ordered, decorated matrix: reading, subset, cells,
pivot, missing cells, filter, order and label decorations. Each module does one stage."""
