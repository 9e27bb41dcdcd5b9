"""briefgen: multilingual news articles in, per-country briefing documents out.

Pipeline (data flows one way): readers -> model -> analysis -> brief -> writers.
"""
__version__ = "0.1.0"
