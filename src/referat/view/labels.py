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


def edition(text: str, public: bool) -> str:
    """`text` as the public edition names it ("Dagsorden (offentlig udgave)"), or as it is."""
    return PUBLIC_EDITION.format(titel=text) if public else text


def file_stem(stem: str, public: bool) -> str:
    """A document's or packet's file name stem for its edition ("dagsorden-offentlig")."""
    return stem + (PUBLIC_FILE if public else "")
