"""Pulling from the platforms' APIs instead of downloading: a brand's tokens in the credentials
store (``credentials``), a Graph-style client with paging, rate limits and errors (``client``),
what each platform's pull asks for (``threads``), the landing folder every response is written
to first, as received (``landing``), and the pull that imports it like a file (``pull``)."""
