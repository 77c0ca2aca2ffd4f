"""PAdES signatures on the minutes: signing (`referat sign`) and reading signatures back for the archive."""

import warnings

# pyHanko imports cryptography's DSA key class, which newer cryptography releases mark deprecated with an English
# warning on stderr at every run. referat never makes or accepts DSA keys for its own signatures, so this one
# warning, and only it, is filtered here, before any module of this package imports pyHanko (issue 25, item 5).
warnings.filterwarnings("ignore", message=r"DSA is deprecated", module=r"pyhanko\.")
