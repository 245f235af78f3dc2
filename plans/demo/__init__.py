"""Demonstration content: the Kaunas District 2013–2020 plan and demo accounts.

``loader.load_demo()`` loads it step by step (see ``loader.STEPS``); the
content itself is plain Python data in ``kaunas_2013_2020``.
"""
