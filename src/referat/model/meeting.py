"""A meeting (møde): when, where, who, and the items in order."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PrivateAttr, model_validator

from .base import Choice, Clock, CommitteeId, DanishBool, Date, FileName, Model
from .item import Item
from .person import Guest, Member
from .profile import Committee
from .source import SourceMap


class Phase(Choice):
    AGENDA = "dagsorden"
    MINUTES = "referat"


class PartialAttendance(Model):
    """A member present for part of the meeting: arrived during an item, or left after one ("kom kl./gik kl.")."""

    name: str = Field(alias="navn", min_length=1, description="Medlemmets navn, som under til_stede.")
    from_item: int | None = Field(None, alias="fra_punkt", ge=1,
                                  description="Deltog fra dette punkt (kom under mødet), fx 3.")
    to_item: int | None = Field(None, alias="til_punkt", ge=1,
                                description="Deltog til og med dette punkt (gik under mødet), fx 7.")

    @model_validator(mode="after")
    def _some_item(self) -> PartialAttendance:
        if self.from_item is None and self.to_item is None:
            raise ValueError("skriv 'fra_punkt' (kom under mødet), 'til_punkt' (gik under mødet) eller begge")
        if self.from_item is not None and self.to_item is not None and self.from_item > self.to_item:
            raise ValueError(f"'fra_punkt' ({self.from_item}) ligger efter 'til_punkt' ({self.to_item})")
        return self


class Attendance(Model):
    """Who was there: members present and absent, and everyone else."""

    present: list[str] = Field(default_factory=list, alias="til_stede", description="Medlemmer til stede (navne fra medlemslisten).")
    absent: list[str] = Field(default_factory=list, alias="fraværende", description="Fraværende medlemmer.")
    others: list[Guest] = Field(default_factory=list, alias="øvrige", description="Øvrige deltagere.")
    partial: list[PartialAttendance] = Field(
        default_factory=list, alias="delvis",
        description="Medlemmer til stede under en del af mødet (står også under til_stede): navn og fra_punkt "
                    "og/eller til_punkt.")

    def items_attended(self, name: str, total: int) -> list[int] | None:
        """The item numbers a member present for part of the meeting attended; None: the whole meeting."""
        for entry in self.partial:
            if entry.name == name:
                return list(range(entry.from_item or 1, (entry.to_item or total) + 1))
        return None


class MeetingForm(Choice):
    PHYSICAL = "fysisk"
    VIRTUAL = "virtuel"


class NextMeeting(Model):
    """The next meeting, as announced under the last item."""

    date: Date = Field(alias="dato", description="Dato, ÅÅÅÅ-MM-DD.")
    start: Clock | None = Field(None, alias="start", description="Starttid, fx \"12.00\".")
    end: Clock | None = Field(None, alias="slut", description="Sluttid, fx \"16.00\".")
    form: MeetingForm = Field(MeetingForm.PHYSICAL, alias="form", description="fysisk eller virtuel.")
    place: str | None = Field(None, alias="sted", description="Sted, hvis det kendes.")


class Meeting(Model):
    """One meeting of a committee: the contents of møde.yaml plus its items."""

    committee_id: CommitteeId = Field(alias="udvalg", description="Udvalgsprofil i templates/udvalg/, fx das-social.")
    phase: Phase = Field(alias="fase", description="dagsorden (før mødet) eller referat.")
    date: Date = Field(alias="dato", description="Mødedato, ÅÅÅÅ-MM-DD.")
    start: Clock = Field(alias="start", description="Starttid, fx \"12.00\".")
    end: Clock = Field(alias="slut", description="Sluttid, fx \"16.00\".")
    place: str | None = Field(None, alias="sted", description="Lokale og adresse.")
    online: DanishBool = Field(False, alias="online", description="true: mødet holdes online (Microsoft TEAMS-møde).")
    case_number: str | None = Field(None, alias="sagsnummer", description="Mødets sagsnummer, fx 2026-005746.")
    members: list[Member] | None = Field(None, alias="medlemmer", description="Medlemsliste; som standard udvalgsprofilens.")
    attendance: Attendance = Field(default_factory=Attendance, alias="fremmøde", description="Til stede, fraværende og øvrige deltagere.")
    other_information: str | None = Field(None, alias="øvrige_oplysninger", description="Øvrige oplysninger (Markdown).")
    next_meeting: NextMeeting | None = Field(None, alias="næste_møde", description="Næste møde.")
    item_files: list[FileName] = Field(alias="punkter", min_length=1, description="Punkternes filer i punkter/, i rækkefølge.")

    _items: list[Item] = PrivateAttr(default_factory=list)
    _profile: Committee | None = PrivateAttr(None)
    _folder: Path | None = PrivateAttr(None)
    _public: bool | None = PrivateAttr(None)

    def locate(self, folder: Path) -> None:
        """The meeting's folder (møde.yaml, punkter/, bilag/), as the loader found it."""
        self._folder = folder

    def use_profile(self, profile: Committee | None) -> None:
        """The committee profile; without one (it did not load), the rules that need it are skipped."""
        self._profile = profile
        if profile is None:
            self._broken = self._broken | {"profil"}

    def set_items(self, items: list[Item]) -> None:
        """The items that could be read, in the order of `punkter`."""
        self._items = items

    def mark_edition(self, public: bool) -> None:
        """This copy is one edition of the meeting (`view.edition`): its texts are resolved for it."""
        self._public = public

    @property
    def edition(self) -> bool | None:
        """True: the public edition (`view.edition`), False: the internal one, None: the meeting as read."""
        return self._public

    @property
    def items(self) -> list[Item]:
        return self._items

    @property
    def profile(self) -> Committee:
        assert self._profile is not None, "the loader sets the profile (rules needing it are skipped without)"
        return self._profile

    @property
    def folder(self) -> Path:
        assert self._folder is not None
        return self._folder

    @property
    def source(self) -> SourceMap:
        """The positions in møde.yaml (for messages)."""
        assert self._source is not None, "the loader reads the meeting from møde.yaml"
        return self._source

    @property
    def roster(self) -> list[Member]:
        """The members: the meeting's own list, else the profile's."""
        if self.members is not None:
            return self.members
        return list(self._profile.members) if self._profile else []

    @property
    def is_minutes(self) -> bool:
        return self.phase is Phase.MINUTES

    def item_by_number(self, number: str) -> Item | None:
        return next((item for item in self._items if item.number == number), None)
