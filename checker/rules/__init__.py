"""Rule families: how each rule checks. What a site asks for lives in its rule pack."""
