"""A street network: centre-lines imported from GeoJSON (``import-streets``), and the routes of walk
lists walked along them (``walklists.network``) wherever lines have been imported near the doors."""
