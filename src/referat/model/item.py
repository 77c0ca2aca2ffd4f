"""An agenda item (punkt) and what it carries: recommendation points and attachments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, model_validator

from .base import Choice, DanishBool, Date, FileName, ItemId, Model, TimeSlot
from .source import SourceMap

SECTIONS = ("resumé", "baggrund", "sagsfremstilling", "indstilling", "bilag", "beslutning")
"""The item sections by their YAML key, in canonical order."""


class Access(Choice):
    OPEN = "åben"
    CLOSED = "lukket"


class ItemType(Choice):
    STANDARD = "standard"
    DECISION = "beslutning"
    DISCUSSION = "drøftelse"
    INFORMATION = "orientering"


class Recommendation(Model):
    """One numbered point of the Indstilling, with optional sub-bullets."""

    text: str = Field(alias="tekst", description="Punktet, fx \"Godkender dagsordenen\".")
    subpoints: list[str] = Field(default_factory=list, alias="underpunkter", description="Underpunkter (punktopstilling).")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"tekst": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # a point is usually written as plain text; {tekst, underpunkter} when it has sub-bullets
        as_object = handler(core_schema)
        return {"anyOf": [{"type": "string"}, as_object]}


class Bilag(Model):
    """An attachment listed under an item."""

    title: str = Field(alias="titel", description="Bilagets titel, som den står i bilagslisten.")
    file: FileName | None = Field(None, alias="fil", description="Filnavn i mødets bilag/-mappe (PDF, Word, Excel eller billede).")
    minutes_of: FileName | None = Field(None, alias="referat", description="Mappen med et tidligere møde, hvis referat (ekskl. bilag) vedlægges, fx ../2025-11-17-das-social.")
    archived: FileName | None = Field(None, alias="arkiv", description="Et underskrevet referat fra arkivet, udvalg/ÅÅÅÅ-MM-DD, fx das-social/2025-11-17; den nyeste arkiverede udgave vedlægges uændret.")
    public: DanishBool = Field(True, alias="offentlig", description="false: udelades af den offentlige udgave.")

    _path: Path | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _one_source(self) -> Bilag:
        given = [key for key, value in (("fil", self.file), ("referat", self.minutes_of), ("arkiv", self.archived))
                 if value is not None]
        if not given:
            raise ValueError("et bilag skal have enten 'fil' eller 'referat' (et tidligere mødes mappe) eller "
                             "'arkiv' (et arkiveret, underskrevet referat)")
        if len(given) > 1:
            raise ValueError(f"et bilag skal have enten 'fil' eller 'referat' eller 'arkiv'; dette har "
                             f"{' og '.join(given)}, " + ("ikke begge" if len(given) == 2 else "brug kun én"))
        return self

    @property
    def path(self) -> Path | None:
        """The resolved file or, for `referat`, the previous meeting's folder; set by the loader (None for `arkiv`)."""
        return self._path

    def resolve(self, meeting_folder: Path, bilag_dir: Path) -> None:
        """Where the file (in `bilag_dir`) or the previous meeting's folder (beside this one) lies."""
        if self.file is not None:
            self._path = bilag_dir / self.file
        elif self.minutes_of is not None:
            self._path = meeting_folder / str(self.minutes_of)

    @property
    def name(self) -> str:
        """How the bilag is named in messages: its file, or the meeting whose minutes it is."""
        if self.file is not None:
            return f"bilag/{self.file}"
        if self.archived is not None:
            return f"det arkiverede referat {self.archived}"
        return f"referatet i {self.minutes_of}"


class SectionPlace(Choice):
    """Where a free section stands: at the start of the item, or after one of its sections (in the profile's
    order)."""

    START = "start"
    SUMMARY = "resumé"
    BACKGROUND = "baggrund"
    CASE = "sagsfremstilling"
    RECOMMENDATION = "indstilling"
    BILAG = "bilag"
    DECISION = "beslutning"


class FreeSection(Model):
    """A section the committee's standard sections do not name: text with its own heading, or with none."""

    heading: str | None = Field(None, alias="overskrift",
                                description="Afsnittets overskrift; udelades den, står teksten uden overskrift.")
    text: str = Field(alias="tekst", description="Afsnittets tekst (Markdown).")
    after: SectionPlace = Field(SectionPlace.CASE, alias="efter",
                                description="Hvor afsnittet står: efter et af punktets afsnit (resumé, baggrund, "
                                            "sagsfremstilling, indstilling, bilag, beslutning; i udvalgets "
                                            "rækkefølge, også når det afsnit er tomt) eller start (under titlen). "
                                            "Standard: sagsfremstilling.")


class TaskStatus(Choice):
    OPEN = "åben"
    DONE = "udført"


class FollowUp(Model):
    """A task a decision creates, followed up at later meetings until it is done."""

    task: str = Field(alias="opgave", min_length=1, description="Opgaven, fx \"Sekretariatet udarbejder et notat\".")
    responsible: str = Field(alias="ansvarlig", min_length=1, description="Hvem er ansvarlig.")
    deadline: Date = Field(alias="frist", description="Frist, ÅÅÅÅ-MM-DD.")
    status: TaskStatus = Field(TaskStatus.OPEN, alias="status", description="åben (standard) eller udført.")


class Item(Model):
    """A punkt on the agenda: title, access, sections, attachments and (in minutes) the decision."""

    title: str = Field(alias="titel", min_length=1, description="Punktets titel.")
    item_id: ItemId | None = Field(None, alias="id", description="Punktets faste id i mødet (skrives af referat new, send og to-minutes): punktet er det samme, når filen omdøbes eller får et nyt nummer. Et kopieret punkt skal have sit eget id.")
    access: Access = Field(Access.OPEN, alias="adgang", description="åben eller lukket (lukkede punkter vises kun med titel i den offentlige udgave).")
    type: ItemType = Field(ItemType.DECISION, alias="type", description="standard, beslutning, drøftelse eller orientering.")
    case_number: str | None = Field(None, alias="sagsnummer", description="Sagsnummer; som standard mødets (standardpunkter har intet). \"\" betyder intet sagsnummer.")
    time_slot: TimeSlot | None = Field(None, alias="tidspunkt", description="Tidsrum, fx \"09.00-10.00\".")
    presenters: list[str] = Field(default_factory=list, alias="fremlæggere", description="Hvem fremlægger punktet (skal deltage i mødet).")
    summary: str | None = Field(None, alias="resumé", description="Resumé (Markdown).")
    background: str | None = Field(None, alias="baggrund", description="Baggrund (Markdown).")
    case: str | None = Field(None, alias="sagsfremstilling", description="Sagsfremstilling (Markdown).")
    recommendation: list[Recommendation] | None = Field(None, alias="indstilling", description="Indstillingens punkter; indledningen kommer fra udvalgsprofilen (eller indstilling_indledning).")
    lead_in: str | None = Field(None, alias="indstilling_indledning", description="Indstillingens indledning i dette punkt, når den ikke er udvalgsprofilens, fx \"Det indstilles, at KKR Nordjylland anbefaler kommunalbestyrelserne\"; \"\" for ingen indledning.")
    free_sections: list[FreeSection] = Field(default_factory=list, alias="afsnit", description="Afsnit ud over udvalgets faste: tekst med eller uden overskrift, placeret efter et af punktets afsnit.")
    group: str | None = Field(None, alias="gruppe", min_length=1, description="Overskriften på den gruppe, punktet står under, fx \"Sager til beslutning\"; punkter med samme gruppe står efter hinanden. Ved hierarkisk nummerering (udvalgsprofilens opsætning) nummereres de 2.1, 2.2 … under \"2. Sager til beslutning\"; ellers står overskriften unummereret over dem.")
    bilag: list[Bilag] = Field(default_factory=list, alias="bilag", description="Bilag: titel og fil.")
    decision: str | None = Field(None, alias="beslutning", description="Beslutning (Markdown); kun i referatet.")
    follow_up: list[FollowUp] = Field(default_factory=list, alias="opfølgning",
                                      description="Opgaver, som beslutningen giver (opgave, ansvarlig, frist, status).")
    closed_reason: str | None = Field(None, alias="lukket_grundlag", description="Hvorfor punktet er lukket, fx \"Offentlighedslovens § 30, nr. 1\" (fra udvalgsprofilens liste, evt. med uddybende tekst); trykkes i de offentlige udgaver.")
    public_decision: str | None = Field(None, alias="offentlig_beslutning", description="Lukkede punkter: hvad der må offentliggøres af beslutningen (Markdown); trykkes i det offentlige referat.")

    _number: str = PrivateAttr("")
    _file: Path | None = PrivateAttr(None)

    def place(self, number: str, file: Path) -> None:
        """The item's number (its place in the meeting's item order) and its file."""
        self._number, self._file = number, file

    @property
    def number(self) -> str:
        """The item number as printed ("3"), given by its place in the meeting's item order."""
        return self._number

    @property
    def file(self) -> Path | None:
        return self._file

    @property
    def source(self) -> SourceMap:
        """The SourceMap of the item's YAML file (positions for messages)."""
        assert self._source is not None, "the loader reads the item from its file"
        return self._source

    @property
    def closed(self) -> bool:
        return self.access is Access.CLOSED

    def section_text(self, key: str) -> str | None:
        """The Markdown of a text section by its YAML key."""
        return {"resumé": self.summary, "baggrund": self.background,
                "sagsfremstilling": self.case, "beslutning": self.decision}.get(key)

