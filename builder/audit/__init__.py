"""`gongkai audit`: the checks of 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号) that a site generator can see,
on the catalog and on the built site.

``indicators`` is the table of the 19号 items with their clauses and the settings that hold their thresholds;
``freshness`` finds the columns and when they last changed; ``guides`` checks the 办事指南 of the power list;
``linkcheck`` reads the built site (links, anchors, attachments, page weight, page metadata); ``audit`` runs them
all and says, in Chinese, what passed, what failed and where to fix it. Only the CLI and the build's one-line
summary import this package.
"""
