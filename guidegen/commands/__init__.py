"""One module per CLI command, each with one public function."""
