"""The application layer: what the commands do (build, packet, validate), above every feature package.

The CLI parses arguments and prints; the functions here check, render and write. Nothing below imports this
package (tests/test_layers.py says so)."""
