"""Label decorations: colour strips, highlighted labels, and the one metadata value per label they
read."""
