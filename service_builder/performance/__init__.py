"""How each service performs: events recorded as people use it, and the figures drawn from them."""
