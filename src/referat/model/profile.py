"""A committee profile: everything a committee owns about its documents' wording and look."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

from pydantic import Field, PrivateAttr, field_validator

from .base import Choice, DanishBool, Model
from .item import SECTIONS, ItemType
from .person import Member

DEFAULT_HEADINGS = {
    "resumé": "Resumé",
    "baggrund": "Baggrund",
    "sagsfremstilling": "Sagsfremstilling",
    "indstilling": "Indstilling",
    "bilag": "Bilag:",
    "beslutning": "Beslutning:",
}

# The headings a contribution from Word starts its sections with (`referat import`): the usual words of municipal
# templates, their variants and common misspellings. Case, accents, punctuation and a leading number are ignored
# when they are compared, so "RESUME:", "Resumé" and "1. Resume" are one entry.
DEFAULT_HEADING_WORDS: dict[str, list[str]] = {
    "resumé": ["Resumé", "Resume", "Resumè", "Resumée", "Sammenfatning", "Sammendrag", "Kort resumé",
               "Kort om sagen", "Summary"],
    "baggrund": ["Baggrund", "Baggrunden", "Baggrund for sagen", "Bagrund", "Historik"],
    "sagsfremstilling": ["Sagsfremstilling", "Sagsfremstiling", "Sagsfremstillingen", "Sagsfremsstilling",
                         "Sagsfremtilling", "Sagsbeskrivelse", "Beskrivelse", "Sagen", "Beskrivelse af sagen",
                         "Redegørelse", "Fremstilling"],
    "indstilling": ["Indstilling", "Indstillinger", "Indstiling", "Indstillling", "Forslag til beslutning",
                    "Forslag til indstilling", "Det indstilles", "Administrationens indstilling",
                    "Forvaltningens indstilling", "Indstilling til beslutning"],
    "bilag": ["Bilag", "Bilagsliste", "Bilagsoversigt", "Vedlagte bilag", "Vedhæftede bilag", "Bialg"],
    "beslutning": ["Beslutning", "Beslutninger", "Beslutningen", "Afgørelse"],
}


def _template(value: str, allowed: tuple[str, ...]) -> str:
    """A text with {felter}: only the named fields, with nothing after the name ({nummer}, not {nummer.x} or
    {nummer:>9999}), so that formatting it can neither fail nor read anything else."""
    names = ", ".join("{" + name + "}" for name in allowed)
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError:
        raise ValueError(f"'{value}' har en '{{' eller '}}' uden sin mage; skriv '{{{{' eller '}}}}' for en "
                         f"krøllet parentes, og brug kun {names}") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in allowed or spec or conversion:
            shown = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"'{value}' bruger {shown}, som ikke kan bruges her; brug kun {names}")
    return value


def _regex_reason(exc: re.error) -> str:
    reasons = {"missing ), unterminated subpattern": "en '(' mangler sin ')'",
               "unbalanced parenthesis": "en ')' mangler sin '('",
               "unterminated character set": "en '[' mangler sin ']'",
               "nothing to repeat": "en gentagelse (*, + eller ?) står uden noget at gentage",
               "multiple repeat": "to gentagelser står efter hinanden"}
    return next((danish for english, danish in reasons.items() if exc.msg.startswith(english)), "fejl i udtrykket")


class Look(Model):
    """Committee identity in the documents."""

    colour: str = Field("#1F4E79", alias="farve", pattern=r"^#[0-9A-Fa-f]{6}$", description="Accentfarve, fx \"#1F4E79\".")
    font: str = Field("Liberation Sans", alias="skrifttype", description="Skrifttype (skal være medleveret eller installeret).")
    logo: str | None = Field(None, alias="logo", description="Logo (PNG/SVG) relativt til profilens mappe.")


class Placement(Choice):
    START = "start"
    END = "slut"


# ---- the layout (opsætning): how the committee's documents look, decided here and carried to every writer ----

FRONT_FIELDS = ("tid", "sted", "fraværende", "til_stede", "øvrige_deltagere", "øvrige_oplysninger")
"""The label/value lines a front page can show, by their key in `opsætning.forside.felter`."""

TITLE_FIELDS = ("organisation", "navn", "kortnavn", "dokumenttype")


class FrontField(Choice):
    TIME = "tid"
    PLACE = "sted"
    ABSENT = "fraværende"
    PRESENT = "til_stede"
    OTHERS = "øvrige_deltagere"
    OTHER_INFO = "øvrige_oplysninger"


class Names(Choice):
    RUN_ON = "løbende"
    ONE_PER_LINE = "en_pr_linje"


class TocPlacement(Choice):
    FRONT = "forside"
    OWN_PAGE = "egen_side"
    NONE = "ingen"


class HeaderPlacement(Choice):
    EVERY_PAGE = "hver_side"
    ITEM_START = "punktstart"


class Numbering(Choice):
    FLAT = "løbende"
    HIERARCHICAL = "hierarkisk"


class PointStyle(Choice):
    NUMBERED = "nummereret"
    BULLETS = "punkttegn"


class FrontPage(Model):
    """The front page: title block, the label/value lines, and where the table of contents goes."""

    title: list[str] = Field(default_factory=lambda: ["{organisation}", "{navn}", "{dokumenttype}"], alias="titel",
                             min_length=1,
                             description="Titelblokkens linjer, hver en tekst med felterne {organisation}, {navn}, "
                                         "{kortnavn} og {dokumenttype} (fx [\"{kortnavn}\", \"{dokumenttype}\"]); "
                                         "en linje, der bliver tom, udelades. {dokumenttype} skal stå i en af dem.")
    fields: list[FrontField] = Field(default_factory=lambda: [FrontField(f) for f in FRONT_FIELDS], alias="felter",
                                     description="Hvilke linjer forsiden viser, i rækkefølge: tid, sted, fraværende, "
                                                 "til_stede, øvrige_deltagere, øvrige_oplysninger.",
                                     json_schema_extra={"uniqueItems": True})
    names: Names = Field(Names.ONE_PER_LINE, alias="navne",
                         description="Navnene under fraværende, til stede og øvrige deltagere: en_pr_linje eller "
                                     "løbende (adskilt af komma).")
    show_empty: DanishBool = Field(False, alias="tomme_felter",
                                   description="true: en linje uden indhold vises alligevel med sin label (fx "
                                               "\"Fraværende\" uden navne); false: den udelades.")
    toc: TocPlacement = Field(TocPlacement.OWN_PAGE, alias="indholdsfortegnelse",
                              description="Indholdsfortegnelsen: forside (under forsidens linjer), egen_side eller "
                                          "ingen.")
    footer: DanishBool = Field(True, alias="sidefod",
                               description="true: forsiden har sidefod (sidetal) som de øvrige sider; false: ingen.")

    @field_validator("title")
    @classmethod
    def _title_fields(cls, value: list[str]) -> list[str]:
        for line in value:
            _template(line, TITLE_FIELDS)
        if not any("{dokumenttype}" in line for line in value):
            raise ValueError("titelblokken skal nævne {dokumenttype}, så forsiden siger, om det er dagsorden eller "
                             "referat (og den offentlige udgave)")
        return value

    @field_validator("fields")
    @classmethod
    def _fields_once(cls, value: list[FrontField]) -> list[FrontField]:
        seen = [f.value for f in value]
        twice = sorted({f for f in seen if seen.count(f) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} står mere end én gang")
        return value


class SectionHeading(Model):
    """A section's heading per document type, and whether it is shown when the section is empty."""

    agenda: str | None = Field(None, alias="dagsorden", description="Overskriften i dagsordenen (\"\": ingen).")
    minutes: str | None = Field(None, alias="referat", description="Overskriften i referatet (\"\": ingen).")
    show_empty: DanishBool = Field(False, alias="vis_tom",
                                   description="true: overskriften står, også når afsnittet er tomt (fx "
                                               "\"Beslutning:\" i dagsordenen).")


class Layout(Model):
    """How the committee's documents look: front page, running header, page numbers, numbering, bilag covers."""

    front: FrontPage = Field(default_factory=FrontPage, alias="forside", description="Forsiden.")
    header: HeaderPlacement = Field(HeaderPlacement.EVERY_PAGE, alias="sidehoved",
                                    description="Sidehovedet (udvalgets 'sidehoved') og adgangslinjen (Åben/Lukket): "
                                                "hver_side (på hver side med punkter) eller punktstart (kun hvor et "
                                                "punkt begynder, som i DAS' referater).")
    page_number: str = Field("Side {side} af {sider}", alias="sidetal", min_length=1,
                             description="Sidetallet nederst på siden: {side} og evt. {sider}, fx \"Side {side} af "
                                         "{sider}\" eller \"{side}\".")
    numbering: Numbering = Field(Numbering.FLAT, alias="nummerering",
                                 description="løbende (1, 2, 3 …) eller hierarkisk (2.1, 2.2 …: punkter med samme "
                                             "'gruppe' samles under en nummereret overskrift).")
    group_label: str = Field("{nummer}.", alias="gruppe_format",
                             description="Hvordan en gruppes nummer skrives ved hierarkisk nummerering, fx \"{nummer}.\".")
    points: PointStyle = Field(PointStyle.NUMBERED, alias="indstillingspunkter",
                               description="Indstillingens punkter: nummereret (1., 2. …) eller punkttegn (•).")
    bilag_cover: str = Field("{punkt} {titel}", alias="bilagsforside",
                             description="Overskriften på et bilags forsideblad i dagsordenspakken: {punkt} "
                                         "(punktets nummer), {titel} (bilagets titel) og {punkttitel}.")
    bilag_cover_capitals: DanishBool = Field(True, alias="bilagsforside_versaler",
                                             description="true: titlerne på forsidebladet ({titel}, {punkttitel}) med store "
                                                         "bogstaver, fx \"4 DET FORSTÆRKEDE SAMARBEJDE\".")

    @field_validator("page_number")
    @classmethod
    def _page_fields(cls, value: str) -> str:
        _template(value, ("side", "sider"))
        if "{side}" not in value:
            raise ValueError(f"'{value}' skal indeholde {{side}}")
        return value

    @field_validator("group_label")
    @classmethod
    def _group_fields(cls, value: str) -> str:
        return _template(value, ("nummer",))

    @field_validator("bilag_cover")
    @classmethod
    def _cover_fields(cls, value: str) -> str:
        return _template(value, ("punkt", "titel", "punkttitel"))


class StandardItem(Model):
    """An item `referat new` puts on every new agenda."""

    title: str = Field(alias="titel", min_length=1, description="Punktets titel.")
    type: ItemType = Field(ItemType.STANDARD, alias="type", description="standard, beslutning, drøftelse eller orientering.")
    recommendation: list[str] = Field(default_factory=list, alias="indstilling", description="Indstillingens punkter.")
    position: Placement = Field(Placement.START, alias="placering", description="start (før sagerne) eller slut.")


def _known_sections(value: Iterable[str]) -> None:
    """A profile's mapping by section key names only sections there are."""
    unknown = set(value) - set(SECTIONS)
    if unknown:
        raise ValueError(f"ukendte afsnit: {', '.join(sorted(unknown))}; kendte er {', '.join(SECTIONS)}")


class Committee(Model):
    """The profile of one committee (templates/udvalg/ID.yaml)."""

    short_name: str = Field(alias="kortnavn", description="Kort navn, fx \"DAS Social\" (sidehoved).")
    name: str = Field(alias="navn", description="Formelt navn, fx \"Den Administrative Styregruppe\".")
    organisation: str | None = Field(None, alias="organisation", description="Fx \"Nordjysk Socialaftale\".")
    secretariat: str | None = Field(None, alias="sekretariat", description="Sekretariatets navn (forfatter i dokumentegenskaber).")
    lead_in: str = Field(alias="indstilling_indledning", description="Fast indledning til indstillingen.")
    headings: dict[str, str | SectionHeading] = Field(
        default_factory=lambda: dict[str, str | SectionHeading](DEFAULT_HEADINGS), alias="overskrifter",
        description="Overskrift for hvert afsnit: en tekst (den samme i dagsorden og referat; \"\" for ingen) eller "
                    "{dagsorden, referat, vis_tom}.",
        json_schema_extra={"propertyNames": {"enum": list(SECTIONS)}})
    heading_words: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_HEADING_WORDS.items()}, alias="overskriftsord",
        description="Overskrifter, som et bidrag fra Word ('referat import') kan begynde hvert afsnit med: varianter "
                    "og stavefejl; store og små bogstaver, accenter, tegnsætning og et foranstillet nummer ses der "
                    "bort fra. Afsnittets egen overskrift (overskrifter) gælder altid. Et afsnit, der ikke står her, "
                    "får standardordene.",
        json_schema_extra={"propertyNames": {"enum": list(SECTIONS)}})
    order: list[str] = Field(default_factory=lambda: list(SECTIONS), alias="rækkefølge",
                             description="Afsnittenes rækkefølge.",
                             json_schema_extra={"items": {"type": "string", "enum": list(SECTIONS)},
                                                "uniqueItems": True, "minItems": len(SECTIONS),
                                                "maxItems": len(SECTIONS)})
    case_pattern: str = Field(r"^\d{4}-\d{6}$", alias="sagsnummer_mønster", description="Regulært udtryk for sagsnumre.")
    case_example: str = Field("2026-005746", alias="sagsnummer_eksempel", description="Eksempel på et gyldigt sagsnummer.")
    item_label: str = Field("Punkt {nummer}.", alias="punkt_format", description="Hvordan et punktnummer skrives.")
    running_header: str = Field("Mødet den {dato} {kortnavn}", alias="sidehoved", description="Sidehoved på hvert punkt.")
    self_names: list[str] = Field(default_factory=list, alias="egne_navne",
                                  description="Andre navne for udvalget selv i tekst, fx DAS.")
    other_bodies: list[str] = Field(default_factory=list, alias="andre_organer",
                                    description="Andre organer, som en indstilling ved en fejl kan være rettet til.")
    members: list[Member] = Field(default_factory=list, alias="medlemmer", description="Medlemsliste.")
    standard_items: list[StandardItem] = Field(default_factory=list, alias="standardpunkter",
                                               description="Punkter på enhver ny dagsorden.")
    decision_phrases: dict[str, str] = Field(
        default_factory=dict, alias="beslutningsfraser",
        description="Standardbeslutning pr. punkttype, som 'referat to-minutes' skriver i hvert punkt (fx "
                    "beslutning: Godkendt; orientering: Taget til efterretning; drøftelse: Drøftet); "
                    "standard_uden_indstilling gælder standardpunkter uden indstilling.",
        json_schema_extra={"propertyNames": {"enum": [*(t.value for t in ItemType), "standard_uden_indstilling"]}})
    look: Look = Field(default_factory=Look, alias="udseende", description="Farve, skrifttype og logo.")
    layout: Layout = Field(default_factory=Layout, alias="opsætning",
                           description="Dokumenternes opsætning: forside, sidehoved, sidetal, nummerering og "
                                       "bilagsforsider.")
    word_template: str = Field("word/dokument.docx", alias="word_skabelon",
                               description="Word-skabelon (docxtpl) relativt til templates/.")
    tariff_tolerance_pct: float = Field(2.0, alias="takst_tolerance_pct", ge=0, le=100, allow_inf_nan=False,
                                        description="Tilladt afvigelse i pct. mellem en takst og budget/(pladser × "
                                                    "belægning × dage) i takstbilaget (standard 2).")
    trust_roots: list[str] = Field(default_factory=list, alias="rodcertifikater",
                                   description="Rodcertifikater (PEM), som underskrifter på referatet skal kunne føres "
                                               "tilbage til ved arkivering; relativt til profilens mappe.")

    closed_reasons: list[str] = Field(default_factory=list, alias="lukket_grundlag",
                                      description="Grundlag et punkt kan lukkes på, fx \"Offentlighedslovens § 30, "
                                                  "nr. 1\"; et lukket punkts lukket_grundlag begynder med et af dem.")

    _id: str = PrivateAttr("")
    _folder: Path | None = PrivateAttr(None)

    @property
    def id(self) -> str:
        return self._id

    def locate(self, committee_id: str, folder: Path) -> None:
        """The profile's id (its file name) and its folder (the template, logo and roots are relative to it)."""
        self._id, self._folder = committee_id, folder

    @property
    def folder(self) -> Path | None:
        return self._folder

    @field_validator("headings")
    @classmethod
    def _complete_headings(cls, value: dict[str, str | SectionHeading]) -> dict[str, str | SectionHeading]:
        _known_sections(value)
        return {**DEFAULT_HEADINGS, **value}

    def heading(self, key: str, kind: str = "referat") -> str:
        """The heading section `key` has in a document of `kind` ("dagsorden"/"referat"); "" for none."""
        spec = self.headings.get(key, DEFAULT_HEADINGS.get(key, ""))
        if isinstance(spec, str):
            return spec
        text = spec.agenda if kind == "dagsorden" else spec.minutes
        if text is None:  # one of the two given: it is the other's too; neither: the default
            text = spec.minutes if kind == "dagsorden" else spec.agenda
        return text if text is not None else DEFAULT_HEADINGS.get(key, "")

    def heading_texts(self, key: str) -> list[str]:
        """Every heading section `key` has, in either document (for reading a document back)."""
        texts = [self.heading(key, "dagsorden"), self.heading(key, "referat")]
        return [t for n, t in enumerate(texts) if t and t not in texts[:n]]

    def show_empty(self, key: str) -> bool:
        """Whether section `key`'s heading stands also when the section is empty."""
        spec = self.headings.get(key)
        return isinstance(spec, SectionHeading) and spec.show_empty

    @field_validator("heading_words")
    @classmethod
    def _heading_word_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        _known_sections(value)
        return {**{k: list(v) for k, v in DEFAULT_HEADING_WORDS.items()}, **value}

    def section_words(self) -> dict[str, list[str]]:
        """Per section, every heading that starts it in a contribution: its own heading and the heading words."""
        return {key: [*self.heading_texts(key), *self.heading_words.get(key, [])] for key in SECTIONS}

    @field_validator("decision_phrases")
    @classmethod
    def _phrase_keys(cls, value: dict[str, str]) -> dict[str, str]:
        known = [*(t.value for t in ItemType), "standard_uden_indstilling"]
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(f"ukendte punkttyper: {', '.join(unknown)}; kendte er {', '.join(known)}")
        return value

    @field_validator("item_label")
    @classmethod
    def _item_label_fields(cls, value: str) -> str:
        return _template(value, ("nummer",))

    @field_validator("running_header")
    @classmethod
    def _header_fields(cls, value: str) -> str:
        return _template(value, ("dato", "kortnavn", "navn"))

    @field_validator("case_pattern")
    @classmethod
    def _case_pattern_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            where = f" ved tegn {exc.pos + 1}" if exc.pos is not None else ""
            raise ValueError(f"'{value}' er ikke et gyldigt regulært udtryk ({_regex_reason(exc)}{where}); "
                             "fx ^\\d{4}-\\d{6}$") from None
        return value

    @field_validator("order")
    @classmethod
    def _all_sections(cls, value: list[str]) -> list[str]:
        if sorted(value) != sorted(SECTIONS):
            raise ValueError(f"skal indeholde hvert afsnit præcis én gang: {', '.join(SECTIONS)}")
        return value

    def word_template_path(self) -> Path:
        """The Word template file, relative to the templates folder that holds this profile."""
        base = self._folder.parent if self._folder is not None else Path("templates")
        return base / self.word_template

    def logo_path(self) -> Path | None:
        """The logo file, relative to the profile's folder, if the profile has one."""
        if not self.look.logo or self._folder is None:
            return None
        return self._folder / self.look.logo

    def trust_root_paths(self) -> list[Path]:
        """The trust-root files named in the profile, relative to its folder."""
        base = self._folder if self._folder is not None else Path(".")
        return [base / name for name in self.trust_roots]

    def names(self) -> list[str]:
        """Every name the committee goes by in running text."""
        return [self.name, self.short_name, *self.self_names]

    def label(self, number: str) -> str:
        return self.item_label.format(nummer=number)

    def group_label(self, number: str) -> str:
        return self.layout.group_label.format(nummer=number)

    @property
    def hierarchical(self) -> bool:
        return self.layout.numbering is Numbering.HIERARCHICAL

    def header(self, date_text: str) -> str:
        return self.running_header.format(dato=date_text, kortnavn=self.short_name, navn=self.name)
