"""What configures a run: the config file, the rule pack and its templates, and the pages to check."""
