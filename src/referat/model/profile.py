"""A committee profile: everything a committee owns about its documents' wording and look."""

from __future__ import annotations

import re
import string
from pathlib import Path

from pydantic import Field, PrivateAttr, field_validator

from .base import Choice, Model
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


class StandardItem(Model):
    """An item `referat new` puts on every new agenda."""

    title: str = Field(alias="titel", min_length=1, description="Punktets titel.")
    type: ItemType = Field(ItemType.STANDARD, alias="type", description="standard, beslutning, drøftelse eller orientering.")
    recommendation: list[str] = Field(default_factory=list, alias="indstilling", description="Indstillingens punkter.")
    position: Placement = Field(Placement.START, alias="placering", description="start (før sagerne) eller slut.")


class Committee(Model):
    """The profile of one committee (templates/udvalg/ID.yaml)."""

    short_name: str = Field(alias="kortnavn", description="Kort navn, fx \"DAS Social\" (sidehoved).")
    name: str = Field(alias="navn", description="Formelt navn, fx \"Den Administrative Styregruppe\".")
    organisation: str | None = Field(None, alias="organisation", description="Fx \"Nordjysk Socialaftale\".")
    secretariat: str | None = Field(None, alias="sekretariat", description="Sekretariatets navn (forfatter i dokumentegenskaber).")
    lead_in: str = Field(alias="indstilling_indledning", description="Fast indledning til indstillingen.")
    headings: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_HEADINGS), alias="overskrifter",
                                     description="Overskrift for hvert afsnit.",
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
    def _complete_headings(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(SECTIONS)
        if unknown:
            raise ValueError(f"ukendte afsnit: {', '.join(sorted(unknown))}; kendte er {', '.join(SECTIONS)}")
        return {**DEFAULT_HEADINGS, **value}

    @field_validator("heading_words")
    @classmethod
    def _heading_word_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(SECTIONS)
        if unknown:
            raise ValueError(f"ukendte afsnit: {', '.join(sorted(unknown))}; kendte er {', '.join(SECTIONS)}")
        return {**{k: list(v) for k, v in DEFAULT_HEADING_WORDS.items()}, **value}

    def section_words(self) -> dict[str, list[str]]:
        """Per section, every heading that starts it in a contribution: its own heading and the heading words."""
        return {key: [self.headings[key], *self.heading_words.get(key, [])] for key in SECTIONS}

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

    def header(self, date_text: str) -> str:
        return self.running_header.format(dato=date_text, kortnavn=self.short_name, navn=self.name)
