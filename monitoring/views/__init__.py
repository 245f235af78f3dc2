"""The browser pages of monitoring, a module per screen: the coordinator's
rounds (``rounds``), the units' members (``members``), and "my items" with
the entry forms and questions (``items``)."""
