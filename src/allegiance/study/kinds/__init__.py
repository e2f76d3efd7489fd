"""The evidence kinds, one module each; :mod:`allegiance.study` lists them and so registers them."""
