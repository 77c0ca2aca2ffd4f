"""The fixed Danish words of the documents that are not the committee's own (those live in its profile)."""

KIND_TITLE = {"dagsorden": "Dagsorden", "referat": "Referat"}
PUBLIC_SUFFIX = "offentlig udgave"
PUBLIC_EDITION = "{titel} (" + PUBLIC_SUFFIX + ")"  # the front page's and the metadata title's public edition
PUBLIC_FILE = "-offentlig"  # after a public edition's file name stem: "referat-offentlig.pdf"
TIME = "Tid"
PLACE = "Sted"
ONLINE_PLACE = "Microsoft TEAMS-møde"
PRESENT = "Til stede"
ABSENT = "Fraværende"
OTHERS = "Øvrige deltagere"
OTHER_INFO = "Øvrige oplysninger"
NAME_SEPARATOR = ", "  # between the names of a front-page line the profile runs on (opsætning.forside.navne)
TOC = "Indholdsfortegnelse"
PAGE = "Side {x} af {y}"
BILAG_PAGE = "(side {side})"  # after a bilag in a packet's bilag list: where it starts
# The web edition's words (render/html.py and its template take them from the view's labels):
SKIP_TO_CONTENT = "Gå til indholdet"  # the first link of the page, for keyboard and screen-reader users
CASE_NUMBER = "Sagsnummer {nummer}"  # in the line under an item's heading
TIME_SLOT = "Kl. {tid}"
# An item's anchor in the web page ("dagsorden.html#punkt-3"): the table of contents and the site's decision
# register link to it, so it is part of the page's address and stays the same from edition to edition.
ITEM_ANCHOR = "punkt-{nummer}"
OPEN = "Åben"
CLOSED = "Lukket"
CLOSED_NOTICE = "Lukket punkt"
CLOSED_REASON = "Lukket punkt. Grundlag: {grundlag}"
WITHHELD_BILAG = "ikke offentligt bilag"
PACKET_TITLE = {"dagsorden": "Dagsordenspakke", "referat": "Referat med bilag"}  # in place of KIND_TITLE
BILAG_BOOKMARK = "Bilag {id} {titel}"  # a packet's bookmark to a bilag's cover
BILAG_COVER_LABEL = "Bilag {id} forside"  # the page label of a bilag's cover page
BILAG_PAGE_LABEL = "Bilag {id}: "  # before the page number in the page labels of a bilag's pages
MEETING_LINE = "Mødet den {dato}, {tid}"
SUBSTITUTE = "(i stedet for {navn})"
PARTIAL = "(pkt. {punkter})"
# A member present for part of the meeting (fremmøde.delvis), after the name under "Til stede".
PARTIAL_FROM = "(deltog fra pkt. {fra})"
PARTIAL_UNTIL = "(deltog til og med pkt. {til})"
PARTIAL_SPAN = "(deltog i pkt. {fra}–{til})"
PARTIAL_ONE = "(deltog i pkt. {fra})"
NEXT_MEETING = "Næste møde finder sted d. {dato} i tidsrummet {start}-{slut}. Mødet er {form}."
NEXT_FORM = {"fysisk": "med fysisk fremmøde", "virtuel": "virtuelt (Microsoft TEAMS-møde)"}
NEXT_MEETING_TITLE = "næste møde"
SHEET_EMPTY = "(tomt ark)"  # an Excel bilag's visible sheet without cells, in the packet
SIGNATURE_TITLE = "Underskrift"  # the signature appearance's document title
SIGNATURE_HEADING = "Godkendt og underskrevet"  # its first line, above the signer's name
SIGNATURE_CLAIMED = "oplyst: {navn}"  # a name typed at signing that is not the certificate's
SIGNED_AT = "{dato} kl. {tid} ({zone})"  # its last line: when it was signed, in local time


def edition(text: str, public: bool) -> str:
    """`text` as the public edition names it ("Dagsorden (offentlig udgave)"), or as it is."""
    return PUBLIC_EDITION.format(titel=text) if public else text


def file_stem(stem: str, public: bool) -> str:
    """A document's or packet's file name stem for its edition ("dagsorden-offentlig")."""
    return stem + (PUBLIC_FILE if public else "")
