"""Judging a stored crawl: the check plug-ins and the veto summary; checks never fetch."""
