"""The plugins that ship with amiga-heatmap, registered through the same mechanism as any other."""
