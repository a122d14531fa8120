"""The filter stage: the filter language (parsing) and its vectorised evaluation over the matrix."""
