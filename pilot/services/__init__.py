"""Use cases without request objects: plain data in, plain data out, one commit each."""
