"""One journal's services: the facade that wires them, finding, changing, the model over it."""
