"""Full-text search: Pagefind indexes of the built site, in bounded bundles.

Takes the written article pages and gives ``pagefind/`` bundles (Indonesian
stemming) that the theme's search page loads on demand.
"""
