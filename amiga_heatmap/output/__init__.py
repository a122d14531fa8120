"""Writing outputs: where they go, atomic writes, and the record of the files amiga-heatmap wrote."""
