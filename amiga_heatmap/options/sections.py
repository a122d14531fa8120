"""The ``--help`` sections options are listed under, in the order ``--help`` shows them."""

INPUT = "Input and selection"
MATRIX = "Matrix"
STATISTICS = "Statistics"
OUTPUT = "Output"
DRAWING = "Drawing"
ORDER = "Order and clustering"
COLOURS = "Colour strips and legends"
MISSING = "Missing cells"
LAYOUT = "Size, labels and pages"
PLUGIN_OPTIONS = "Plugin renderers' options"
PLUGINS = "Plugins"
GENERAL = "General"

SECTION_ORDER = (INPUT, MATRIX, STATISTICS, OUTPUT, DRAWING, ORDER, COLOURS, MISSING, LAYOUT, PLUGIN_OPTIONS, PLUGINS, GENERAL)
