"""What humas contributors touch: local Markdown articles and their checks.

Takes ``content/`` and the registry; gives the article scaffold (:mod:`.articles`),
the category vocabulary (:mod:`.categories`), ``invoke check``'s explained findings
(:mod:`.check`), the optional editorial UI (:mod:`.editorial`) and ``CODEOWNERS``
(:mod:`.codeowners`).
"""
