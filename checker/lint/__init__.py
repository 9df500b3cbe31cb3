"""The lint run: which rules run where, the page pass, the site pass, the cache, the pool and the engine."""
