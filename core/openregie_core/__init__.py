"""OpenRegie core: the host application, its registry of people and the module machinery.

Import `openregie_core.app.create_app` for the Flask application; this package itself stays
light so that `openregie --help` answers fast.
"""
