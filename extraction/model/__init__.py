"""The trained locator's model side: words, labels, windows, the network and its registry.

Nothing here imports torch, transformers or jieba at module level: the rule-based pipeline and the
decoder must import without the model stack (`pip install -e ".[model]"` installs it).
"""
