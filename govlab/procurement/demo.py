"""Demo data for phase 5: procurement routes, purchases, contracts, payments and the end of a case.

Run through the services (so the audit log and the timelines are real), on top of the earlier demos:

1. **Reference data** per lab, in the lab's languages, every rule with its source: the procedure types of
   Colombia (general regime of Ley 80 de 1993 / Ley 1150 de 2007, the Compra Pública para la Innovación
   guidance, and an entity's own purchasing manual — the Fondo Nacional del Ahorro's), Sweden (LOU
   2016:1145), Luxembourg (loi du 8 avril 2018, transposing Directive 2014/24/EU), Portugal (Código dos
   Contratos Públicos) and Belgium (loi du 17 juin 2016), each mapped to the OCDS ``procurementMethod``,
   with value thresholds per legal regime and currency over their validity periods. Amounts the seeds do
   not give and that we could not check against the official text are marked *indicative*.
2. **MiLAB**, after its Demo Day of 16 October 2025: INVIMA buys Rastro Digital's solution under the
   general law (selección abreviada de menor cuantía), the FNA buys Nido Fintech's under its own manual
   (invitación cerrada). Procurement in late 2025, contracts signed in January 2026, milestones,
   payment schedules, invoices and payments through 2026 — one paid late (FNA), one contract amended
   (INVIMA: more scope and time, version 2) —, progress reports (reviewed, submitted, one due), an issue
   and a risk, and for the FNA, the case finished: contract delivered, lessons learned published, the
   challenge closed. The SIC's selected solution is left to buy (try it in the browser).
3. **Innovationsupphandling Syd**: its call's suppliers' day (a Demo Day held now), then a joint
   procurement of four municipalities (Tomelilla buys with Simrishamn, Ystad and Sjöbo) under the
   simplified procedure, awarded to four suppliers — as in the seeds: "contract with four innovative
   suppliers" for "sharing resources in four municipalities" and a design-sprint method —, in its
   standstill period today, with the four contracts prepared for signature.
4. A **finance contact** at each buying entity (password ``govlab-demo-2026``).

What the services stamp "now" (award, signature versions, reports, timelines) is then set to the story's
dates, as the other demos do; the audit log keeps when the demo really ran.

Idempotent: reference rows are found by code (procedure) or period (threshold) and left as they are; a
challenge that already has a procurement process is left alone; a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, ChallengeTransition, LegalRegime
from govlab.labs.models import Lab
from govlab.organisations.models import Organisation

from .enums import ProcedureKind as K
from .enums import StepKind as St
from .models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold

D = dt.date
ADMIN_EMAIL = "admin@govlab.example"

# --- Reference data -------------------------------------------------------------------------------------

# Colombia's thresholds are set in monthly minimum wages (SMMLV), which change every year.
SMMLV = {2025: Decimal("1423500"), 2026: Decimal("1750905")}
SMMLV_SOURCE = {
    2025: "SMMLV 2025: $1.423.500 (Decreto 1572 de 2024)",
    2026: "SMMLV 2026: $1.750.905 (decreto de salario mínimo de diciembre de 2025; indicativo)",
}
# The last period has no end: it stays in force until the lab adds the next year's amounts.
YEAR = {2025: (D(2025, 1, 1), D(2025, 12, 31)), 2026: (D(2026, 1, 1), None)}

CO_LEY80 = ("es", "Ley 80 de 1993 — Estatuto General de Contratación de la Administración Pública")
CO_MANUAL = ("es", "Manual de contratación propio (régimen especial)")
SE_LOU = ("sv", "Lag (2016:1145) om offentlig upphandling (LOU)")
LU_LOI = ("fr", "Loi modifiée du 8 avril 2018 sur les marchés publics")
PT_CCP = ("pt", "Código dos Contratos Públicos")
BE_LOI = ("fr", "Loi du 17 juin 2016 relative aux marchés publics")

URL_LEY1150 = "https://www.funcionpublica.gov.co/eva/gestornormativo/norma.php?i=25678"
URL_DEC1082 = "https://www.funcionpublica.gov.co/eva/gestornormativo/norma.php?i=77653"
URL_CCE = "https://www.colombiacompra.gov.co/"
URL_FNA = "https://www.fna.gov.co/"
URL_LOU = (
    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
    "lag-20161145-om-offentlig-upphandling_sfs-2016-1145/"
)
URL_UHM_DIREKT = "https://www.upphandlingsmyndigheten.se/regler-och-lagar/direktupphandling/"
URL_UHM_TROSKEL = "https://www.upphandlingsmyndigheten.se/regler-och-lagar/troskelvarden-och-beloppsgranser/"
URL_LU = "https://legilux.public.lu/eli/etat/leg/loi/2018/04/08/a243/jo"
URL_DIRECTIVE = "https://eur-lex.europa.eu/eli/dir/2014/24/oj"
URL_EU_2023_2495 = "https://eur-lex.europa.eu/eli/reg_del/2023/2495/oj"
URL_PCP = "https://digital-strategy.ec.europa.eu/en/policies/pre-commercial-procurement"
URL_PT = "https://diariodarepublica.pt/dr/legislacao-consolidada/decreto-lei/2008-34455475"
URL_BE = "https://www.publicprocurement.be/fr/documents/loi-du-17-juin-2016-relative-aux-marches-publics"

INDICATIVE_ES = " Indicativo: verifique la norma vigente antes de decidir."
INDICATIVE_SV = " Indikativt: kontrollera gällande belopp hos Upphandlingsmyndigheten."
INDICATIVE_FR = " Indicatif : vérifiez le texte en vigueur avant de décider."
INDICATIVE_PT = " Indicativo: confirme o texto em vigor antes de decidir."


def _rule(
    regime,
    currency: str,
    start: dt.date,
    until: dt.date | None = None,
    *,
    low=None,
    high=None,
    source,
    url,
    note="",
) -> dict:
    """A threshold as ``services.threshold_save`` takes it; ``legal_regime``: (language, regime name)."""
    return {
        "legal_regime": regime,
        "currency": currency,
        "min_value": low,
        "max_value": high,
        "valid_from": start,
        "valid_until": until,
        "source_label": source,
        "source_url": url,
        "note": note,
    }


def _smmlv(count: int, year: int, *, plus_one: bool = False) -> Decimal:
    """``count`` minimum wages of ``year``; ``plus_one`` gives the exclusive bound of an "up to" rule."""
    return SMMLV[year] * count + (1 if plus_one else 0)


def _co_band(regime, low: int | None, high: int | None, source: str, url: str, note: str) -> list[dict]:
    """One threshold per year for a band of minimum wages: [low, high] inclusive, to the peso."""
    return [
        _rule(
            regime,
            "COP",
            start,
            end,
            low=None if low is None else _smmlv(low, year, plus_one=True),
            high=None if high is None else _smmlv(high, year, plus_one=True),
            source=f"{source}; {SMMLV_SOURCE[year]}"[:300],
            url=url,
            note=note,
        )
        for year, (start, end) in YEAR.items()
    ]


_BAND_NOTE = (
    "Cuantías para entidades con presupuesto anual entre 120.000 y 400.000 SMMLV (como el INVIMA o la SIC): "
    "menor cuantía hasta 450 SMMLV; mínima cuantía hasta el 10 % de la menor cuantía (45 SMMLV). Cada "
    "entidad calcula su menor cuantía con su propio presupuesto." + INDICATIVE_ES
)
_FNA_NOTE = (
    "Cuantías ilustrativas del Manual de Contratación del FNA, en SMMLV; el manual vigente es el que "
    "apruebe su Junta Directiva." + INDICATIVE_ES
)
_ALL_STEPS = [
    St.NEEDS_ASSESSMENT,
    St.MARKET_CONSULTATION,
    St.TENDER_DOCUMENTS,
    St.EVALUATION_REPORT,
    St.AWARD_DECISION,
]

MILAB_PROCEDURES: list[dict] = [
    {
        "code": "co-licitacion-publica",
        "jurisdiction": "CO",
        "kind": K.OPEN_TENDER,
        "name": {"es": "Licitación pública", "en": "Public tender (licitación pública)"},
        "description": {
            "es": "La regla general de la Ley 1150 de 2007 para contratos por encima de la menor cuantía: "
            "convocatoria pública, pliego de condiciones, audiencia de adjudicación.",
            "en": "The general rule of Law 1150 of 2007 for contracts above the lower amount: a public "
            "call, tender documents and a public award hearing.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Licitación pública (Ley 1150 de 2007, art. 2 num. 1)",
        "steps": _ALL_STEPS,
        "source_label": "Ley 1150 de 2007, art. 2 num. 1; Decreto 1082 de 2015, arts. 2.2.1.2.1.1.1 y ss.",
        "source_url": URL_LEY1150,
        "thresholds": _co_band(
            CO_LEY80, 450, None, "Ley 1150 de 2007, art. 2 num. 1 y num. 2 lit. b", URL_LEY1150, _BAND_NOTE
        ),
    },
    {
        "code": "co-seleccion-abreviada-menor-cuantia",
        "jurisdiction": "CO",
        "kind": K.OTHER,
        "name": {
            "es": "Selección abreviada de menor cuantía",
            "en": "Abbreviated selection for lower-value contracts",
        },
        "description": {
            "es": "Para contratos por encima de la mínima cuantía y hasta la menor cuantía de la entidad: "
            "los interesados manifiestan interés (si son más de diez, se sortean), presentan ofertas y la "
            "entidad evalúa y adjudica por acto administrativo.",
            "en": "For contracts above the minimum amount and up to the entity's lower amount: interested "
            "firms register (a draw if more than ten), bid, and the entity evaluates and awards by "
            "administrative act.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Selección abreviada de menor cuantía (Ley 1150 de 2007, art. 2 "
        "num. 2 lit. b)",
        "steps": _ALL_STEPS,
        "source_label": "Ley 1150 de 2007, art. 2 num. 2 lit. b; Decreto 1082 de 2015, art. 2.2.1.2.1.2.20",
        "source_url": URL_LEY1150,
        "thresholds": _co_band(
            CO_LEY80, 45, 450, "Ley 1150 de 2007, art. 2 num. 2 lit. b", URL_LEY1150, _BAND_NOTE
        ),
    },
    {
        "code": "co-minima-cuantia",
        "jurisdiction": "CO",
        "kind": K.MINOR_VALUE,
        "name": {"es": "Mínima cuantía", "en": "Minimum-value purchase (mínima cuantía)"},
        "description": {
            "es": "Contratos hasta el 10 % de la menor cuantía de la entidad: invitación pública de al menos "
            "un día hábil, se acepta la oferta de menor precio que cumpla.",
            "en": "Contracts up to 10% of the entity's lower amount: a public invitation open "
            "for at least one "
            "working day; the lowest compliant price is accepted.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Mínima cuantía (Ley 1150 de 2007, art. 2 num. 5)",
        "steps": [St.NEEDS_ASSESSMENT, St.TENDER_DOCUMENTS, St.EVALUATION_REPORT, St.AWARD_DECISION],
        "source_label": "Ley 1150 de 2007, art. 2 num. 5 (Ley 1474 de 2011, art. 94); Decreto 1082 de 2015, "
        "arts. 2.2.1.2.1.5.1 y ss.",
        "source_url": URL_LEY1150,
        "thresholds": _co_band(
            CO_LEY80, None, 45, "Ley 1150 de 2007, art. 2 num. 5", URL_LEY1150, _BAND_NOTE
        ),
    },
    {
        "code": "co-directa-ctei",
        "jurisdiction": "CO",
        "kind": K.DIRECT_AWARD,
        "name": {
            "es": "Contratación directa para actividades científicas y tecnológicas",
            "en": "Direct award for science and technology activities",
        },
        "description": {
            "es": "Causal de contratación directa sin límite de cuantía, cuando el objeto son actividades "
            "científicas y tecnológicas; la entidad justifica la causal en un acto administrativo.",
            "en": "A ground for direct award with no value limit when the object is science and technology "
            "activities; the entity justifies it in an administrative act.",
        },
        "ocds_method": "direct",
        "ocds_method_details": "Contratación directa (Ley 1150 de 2007, art. 2 num. 4 lit. e)",
        "steps": [St.NEEDS_ASSESSMENT, St.MARKET_CONSULTATION, St.AWARD_DECISION],
        "source_label": "Ley 1150 de 2007, art. 2 num. 4 lit. e; Decreto 1082 de 2015, art. 2.2.1.2.1.4.7",
        "source_url": URL_DEC1082,
        "thresholds": [
            _rule(
                CO_LEY80,
                "COP",
                D(2015, 5, 26),
                source="Decreto 1082 de 2015, art. 2.2.1.2.1.4.7 (sin límite de cuantía)",
                url=URL_DEC1082,
                note="La causal depende del objeto, no del valor.",
            )
        ],
    },
    {
        "code": "co-compra-publica-innovacion",
        "jurisdiction": "CO",
        "kind": K.PPI,
        "name": {
            "es": "Compra Pública para la Innovación (guía de Colombia Compra Eficiente)",
            "en": "Public procurement of innovation (Colombia Compra Eficiente guidance)",
        },
        "description": {
            "es": "No es una modalidad nueva: la guía de Colombia Compra Eficiente orienta cómo comprar "
            "innovación con las modalidades de la Ley 1150 (necesidad funcional, consulta al mercado, "
            "criterios de calidad). La modalidad legal se escoge por el valor y el objeto." + INDICATIVE_ES,
            "en": "Not a new procedure: Colombia Compra Eficiente's guidance shows how to buy "
            "innovation with "
            "the procedures of Law 1150 (a functional need, market consultation, quality criteria). The "
            "legal procedure follows from the value and the object. Indicative.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Compra Pública para la Innovación (guía de Colombia Compra Eficiente)",
        "steps": _ALL_STEPS,
        "source_label": "Colombia Compra Eficiente — Guía de Compra Pública para la Innovación",
        "source_url": URL_CCE,
        "thresholds": [
            _rule(
                CO_LEY80,
                "COP",
                D(2025, 1, 1),
                source="Colombia Compra Eficiente — Guía de Compra Pública para la Innovación",
                url=URL_CCE,
                note="La guía no fija cuantías; se aplican las de la modalidad legal escogida.",
            )
        ],
    },
    # The entity's own purchasing manual: an Empresa Industrial y Comercial del Estado (FNA).
    {
        "code": "fna-contratacion-directa",
        "jurisdiction": "CO — Fondo Nacional del Ahorro",
        "kind": K.DIRECT_AWARD,
        "name": {
            "es": "Contratación directa (Manual de Contratación del FNA)",
            "en": "Direct award (FNA purchasing manual)",
        },
        "description": {
            "es": "El FNA, empresa industrial y comercial del Estado de carácter financiero, contrata con "
            "derecho privado y su propio manual, con los principios de la función administrativa. Para "
            "cuantías bajas, una sola oferta." + INDICATIVE_ES,
            "en": "The FNA, a state-owned financial company, contracts under private law and its own manual, "
            "within the principles of public administration. For low values, a single offer. Indicative.",
        },
        "ocds_method": "direct",
        "ocds_method_details": "Contratación directa — Manual de Contratación del FNA",
        "steps": [St.NEEDS_ASSESSMENT, St.AWARD_DECISION],
        "source_label": "Ley 1150 de 2007, arts. 13 y 14; Manual de Contratación del Fondo "
        "Nacional del Ahorro",
        "source_url": URL_FNA,
        "thresholds": _co_band(
            CO_MANUAL, None, 100, "Manual de Contratación del FNA (ilustrativo)", URL_FNA, _FNA_NOTE
        ),
    },
    {
        "code": "fna-invitacion-cerrada",
        "jurisdiction": "CO — Fondo Nacional del Ahorro",
        "kind": K.OTHER,
        "name": {
            "es": "Invitación cerrada (Manual de Contratación del FNA)",
            "en": "Invitation to selected firms (FNA purchasing manual)",
        },
        "description": {
            "es": "El FNA invita a presentar oferta a varias empresas que conoce por el estudio de mercado y "
            "adjudica con los criterios de la invitación." + INDICATIVE_ES,
            "en": "The FNA invites several firms identified in its market study to bid and awards on the "
            "invitation's criteria. Indicative.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Invitación cerrada — Manual de Contratación del FNA",
        "steps": _ALL_STEPS,
        "source_label": "Ley 1150 de 2007, arts. 13 y 14; Manual de Contratación del Fondo "
        "Nacional del Ahorro",
        "source_url": URL_FNA,
        "thresholds": _co_band(
            CO_MANUAL, 100, 1000, "Manual de Contratación del FNA (ilustrativo)", URL_FNA, _FNA_NOTE
        ),
    },
    {
        "code": "fna-invitacion-abierta",
        "jurisdiction": "CO — Fondo Nacional del Ahorro",
        "kind": K.OPEN_TENDER,
        "name": {
            "es": "Invitación abierta (Manual de Contratación del FNA)",
            "en": "Open invitation (FNA purchasing manual)",
        },
        "description": {
            "es": "Para las cuantías mayores, invitación pública a cualquier interesado." + INDICATIVE_ES,
            "en": "For the larger values, a public invitation to anyone interested. Indicative.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Invitación abierta — Manual de Contratación del FNA",
        "steps": _ALL_STEPS,
        "source_label": "Ley 1150 de 2007, arts. 13 y 14; Manual de Contratación del Fondo "
        "Nacional del Ahorro",
        "source_url": URL_FNA,
        "thresholds": _co_band(
            CO_MANUAL, 1000, None, "Manual de Contratación del FNA (ilustrativo)", URL_FNA, _FNA_NOTE
        ),
    },
]

# Sweden (LOU): the direct-award limit is a fixed amount since 1 February 2022; the EU thresholds
# (sub-central authorities, services) are set in euro every two years and converted to kronor.
_SE_EU = [
    (
        D(2024, 1, 1),
        D(2025, 12, 31),
        Decimal("2400000"),
        "221 000 euro (delegerad förordning (EU) 2023/2495)",
    ),
    (D(2026, 1, 1), None, Decimal("2450000"), "216 000 euro (tröskelvärden från 2026)"),
]


def _se_below_eu(low: Decimal | None) -> list[dict]:
    return [
        _rule(
            SE_LOU,
            "SEK",
            start,
            end,
            low=low,
            high=high,
            source=f"LOU 19 kap.; tröskelvärde för övriga upphandlande myndigheter, {label}",
            url=URL_UHM_TROSKEL,
            note="Beloppet i kronor är avrundat och indikativt." + INDICATIVE_SV,
        )
        for start, end, high, label in _SE_EU
    ]


def _se_above_eu() -> list[dict]:
    return [
        _rule(
            SE_LOU,
            "SEK",
            start,
            end,
            low=low,
            source=f"LOU 1 kap. 3 §, 5 kap.; tröskelvärde {label}",
            url=URL_UHM_TROSKEL,
            note="Beloppet i kronor är avrundat och indikativt." + INDICATIVE_SV,
        )
        for start, end, low, label in _SE_EU
    ]


def _any_value(regime, currency: str, start: dt.date, source: str, url: str, note: str = "") -> list[dict]:
    return [_rule(regime, currency, start, source=source, url=url, note=note)]


SYD_PROCEDURES: list[dict] = [
    {
        "code": "se-direktupphandling",
        "jurisdiction": "SE",
        "kind": K.DIRECT_AWARD,
        "name": {"sv": "Direktupphandling", "en": "Direct award (direktupphandling)"},
        "description": {
            "sv": "Utan krav på anbud i viss form när kontraktets värde understiger "
            "direktupphandlingsgränsen; "
            "myndigheten dokumenterar upphandlingar över 100 000 kr.",
            "en": "No formal tenders when the contract's value is below the direct-award limit; the "
            "authority documents purchases above SEK 100,000.",
        },
        "ocds_method": "direct",
        "ocds_method_details": "Direktupphandling (LOU 19 kap. 30 §)",
        "steps": [St.NEEDS_ASSESSMENT, St.AWARD_DECISION],
        "source_label": "LOU (2016:1145) 19 kap. 30 §",
        "source_url": URL_LOU,
        "thresholds": [
            _rule(
                SE_LOU,
                "SEK",
                D(2022, 2, 1),
                high=Decimal("700000"),
                source="LOU 19 kap. 30 §: direktupphandlingsgräns 700 000 kr (från 1 februari 2022)",
                url=URL_UHM_DIREKT,
                note="Värdet ska understiga gränsen.",
            )
        ],
    },
    {
        "code": "se-forenklat-forfarande",
        "jurisdiction": "SE",
        "kind": K.OPEN_TENDER,
        "name": {"sv": "Förenklat förfarande", "en": "Simplified procedure (förenklat förfarande)"},
        "description": {
            "sv": "Annonserad upphandling under EU:s tröskelvärden där alla leverantörer får lämna anbud och "
            "myndigheten får förhandla. Avtalsspärr i tio dagar efter tilldelningsbeslutet.",
            "en": "An advertised procedure below the EU thresholds: every supplier may bid and the authority "
            "may negotiate. A ten-day standstill after the award decision.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Förenklat förfarande (LOU 19 kap. 8 §)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "LOU (2016:1145) 19 kap. 8 §; avtalsspärr 20 kap. 1–2 §§",
        "source_url": URL_LOU,
        "thresholds": _se_below_eu(Decimal("700000")),
    },
    {
        "code": "se-innovationspartnerskap",
        "jurisdiction": "SE",
        "kind": K.INNOVATION_PARTNERSHIP,
        "name": {"sv": "Innovationspartnerskap", "en": "Innovation partnership"},
        "description": {
            "sv": "För behov som inte kan mötas med lösningar som redan finns: utveckling och köp i samma "
            "upphandling, med en eller flera partner i etapper. Får användas även under tröskelvärdena.",
            "en": "For needs no existing solution meets: development and purchase in one procedure, with one "
            "or more partners in phases. Also allowed below the thresholds.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Innovationspartnerskap (LOU 6 kap. 19–24 §§; 19 kap. 7 §)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "LOU (2016:1145) 6 kap. 19–24 §§",
        "source_url": URL_LOU,
        "thresholds": _any_value(
            SE_LOU, "SEK", D(2017, 1, 1), "LOU (2016:1145) 6 kap. 19 §; 19 kap. 7 § (alla värden)", URL_LOU
        ),
    },
    {
        "code": "se-konkurrenspraglad-dialog",
        "jurisdiction": "SE",
        "kind": K.COMPETITIVE_DIALOGUE,
        "name": {"sv": "Konkurrenspräglad dialog", "en": "Competitive dialogue"},
        "description": {
            "sv": "Dialog med utvalda leverantörer för att ta fram lösningar när myndigheten inte själv kan "
            "specificera dem; sedan anbud.",
            "en": "A dialogue with selected suppliers to work out solutions the authority cannot specify "
            "itself; then tenders.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Konkurrenspräglad dialog (LOU 6 kap. 12–18 §§)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "LOU (2016:1145) 6 kap. 12–18 §§",
        "source_url": URL_LOU,
        "thresholds": _any_value(SE_LOU, "SEK", D(2017, 1, 1), "LOU (2016:1145) 6 kap. 12 §", URL_LOU),
    },
    {
        "code": "se-forhandlat-med-annonsering",
        "jurisdiction": "SE",
        "kind": K.OTHER,
        "name": {
            "sv": "Förhandlat förfarande med föregående annonsering",
            "en": "Competitive procedure with negotiation",
        },
        "description": {
            "sv": "Över tröskelvärdena, när behovet kräver anpassning eller innovation: anbud "
            "som förhandlas.",
            "en": "Above the thresholds, when the need calls for adaptation or innovation: "
            "negotiated tenders.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Förhandlat förfarande med föregående annonsering (LOU 6 kap. 3 §)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "LOU (2016:1145) 6 kap. 3 §",
        "source_url": URL_LOU,
        "thresholds": _se_above_eu(),
    },
]

# Luxembourg: the law of 8 April 2018 (Book I national, Book II above the EU thresholds of Directive
# 2014/24/EU); central government thresholds for services.
_LU_EU = [
    (D(2024, 1, 1), D(2025, 12, 31), Decimal("143000"), "Règlement délégué (UE) 2023/2495", URL_EU_2023_2495),
    (
        D(2026, 1, 1),
        None,
        Decimal("140000"),
        "seuils européens à partir de 2026 (indicatif)",
        URL_DIRECTIVE,
    ),
]

LUX_PROCEDURES: list[dict] = [
    {
        "code": "lu-procedure-ouverte-nationale",
        "jurisdiction": "LU",
        "kind": K.OPEN_TENDER,
        "name": {
            "fr": "Procédure ouverte (livre I, niveau national)",
            "en": "Open procedure (national level)",
        },
        "description": {
            "fr": "Sous les seuils européens : publication nationale, tout opérateur peut soumissionner.",
            "en": "Below the EU thresholds: national publication; any operator may bid.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Procédure ouverte — livre I de la loi du 8 avril 2018",
        "steps": _ALL_STEPS,
        "source_label": "Loi modifiée du 8 avril 2018 sur les marchés publics, livre I",
        "source_url": URL_LU,
        "thresholds": [
            _rule(
                LU_LOI,
                "EUR",
                start,
                end,
                high=high,
                source=f"Directive 2014/24/UE, art. 4 b) — {label}",
                url=url,
                note="Seuil des autorités gouvernementales centrales, fournitures et services.",
            )
            for start, end, high, label, url in _LU_EU
        ],
    },
    {
        "code": "lu-procedure-ouverte-europeenne",
        "jurisdiction": "LU / EU",
        "kind": K.OPEN_TENDER,
        "name": {"fr": "Procédure ouverte (livre II, niveau européen)", "en": "Open procedure (EU level)"},
        "description": {
            "fr": "À partir des seuils européens : publication au Journal officiel de l'UE, délai d'attente "
            "avant la signature.",
            "en": "From the EU thresholds: publication in the EU Official Journal; a "
            "standstill before signing.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Procédure ouverte — Directive 2014/24/UE, art. 27",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "Directive 2014/24/UE, art. 27; loi du 8 avril 2018, livre II",
        "source_url": URL_DIRECTIVE,
        "thresholds": [
            _rule(
                LU_LOI,
                "EUR",
                start,
                end,
                low=low,
                source=f"Directive 2014/24/UE, art. 4 b) — {label}",
                url=url,
                note="Seuil des autorités gouvernementales centrales, fournitures et services.",
            )
            for start, end, low, label, url in _LU_EU
        ],
    },
    {
        "code": "lu-dialogue-competitif",
        "jurisdiction": "LU / EU",
        "kind": K.COMPETITIVE_DIALOGUE,
        "name": {"fr": "Dialogue compétitif", "en": "Competitive dialogue"},
        "description": {
            "fr": "Dialogue avec des candidats sélectionnés pour définir les solutions quand "
            "le besoin ne peut "
            "être spécifié d'avance.",
            "en": "A dialogue with selected candidates to define solutions when the need cannot be specified "
            "in advance.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Dialogue compétitif — Directive 2014/24/UE, art. 30",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "Directive 2014/24/UE, art. 30; loi du 8 avril 2018",
        "source_url": URL_DIRECTIVE,
        "thresholds": _any_value(
            LU_LOI, "EUR", D(2018, 4, 8), "Directive 2014/24/UE, art. 26 §4 et art. 30", URL_DIRECTIVE
        ),
    },
    {
        "code": "lu-partenariat-innovation",
        "jurisdiction": "LU / EU",
        "kind": K.INNOVATION_PARTNERSHIP,
        "name": {"fr": "Partenariat d'innovation", "en": "Innovation partnership"},
        "description": {
            "fr": "Recherche, développement et achat des produits ou services qui en résultent, en phases, "
            "avec un ou plusieurs partenaires.",
            "en": "Research, development and purchase of the resulting products or services, in phases, with "
            "one or more partners.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Partenariat d'innovation — Directive 2014/24/UE, art. 31",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "Directive 2014/24/UE, art. 31; loi du 8 avril 2018",
        "source_url": URL_DIRECTIVE,
        "thresholds": _any_value(
            LU_LOI, "EUR", D(2018, 4, 8), "Directive 2014/24/UE, art. 31", URL_DIRECTIVE
        ),
    },
    {
        "code": "lu-achat-avant-commercial",
        "jurisdiction": "LU / EU",
        "kind": K.PCP,
        "name": {"fr": "Achat public avant commercialisation", "en": "Pre-commercial procurement"},
        "description": {
            "fr": "Services de recherche et développement hors du champ de la directive (art. 14) quand les "
            "résultats ne reviennent pas exclusivement au pouvoir adjudicateur : concurrence en phases "
            "(conception, prototype, essai).",
            "en": "R&D services outside the directive (art. 14) when the results do not belong "
            "exclusively to "
            "the buyer: competition in phases (design, prototype, test).",
        },
        "ocds_method": "open",
        "ocds_method_details": "Pre-commercial procurement — Directive 2014/24/UE, art. 14; COM(2007) 799",
        "steps": [
            St.NEEDS_ASSESSMENT,
            St.MARKET_CONSULTATION,
            St.TENDER_DOCUMENTS,
            St.EVALUATION_REPORT,
            St.AWARD_DECISION,
        ],
        "source_label": "Directive 2014/24/UE, art. 14; communication COM(2007) 799",
        "source_url": URL_PCP,
        "thresholds": _any_value(
            LU_LOI,
            "EUR",
            D(2018, 4, 8),
            "Directive 2014/24/UE, art. 14 (services de R&D exclus)",
            URL_PCP,
            "Pas de seuil : l'exclusion dépend de l'objet (R&D) et du partage des résultats.",
        ),
    },
]

LABX_PROCEDURES: list[dict] = [
    {
        "code": "pt-ajuste-direto",
        "jurisdiction": "PT",
        "kind": K.DIRECT_AWARD,
        "name": {"pt": "Ajuste direto", "en": "Direct award (ajuste direto)"},
        "description": {
            "pt": "Convite a uma só entidade para contratos de aquisição de bens ou serviços de valor "
            "reduzido." + INDICATIVE_PT,
            "en": "An invitation to a single firm for low-value supplies or services. Indicative.",
        },
        "ocds_method": "direct",
        "ocds_method_details": "Ajuste direto (CCP, art. 20.º, n.º 1, al. d)",
        "steps": [St.NEEDS_ASSESSMENT, St.AWARD_DECISION],
        "source_label": "Código dos Contratos Públicos, art. 20.º, n.º 1, al. d) (redação da Lei 30/2021)",
        "source_url": URL_PT,
        "thresholds": [
            _rule(
                PT_CCP,
                "EUR",
                D(2021, 6, 21),
                high=Decimal("20000"),
                source="CCP, art. 20.º, n.º 1, al. d): inferior a 20 000 €",
                url=URL_PT,
                note="Bens e serviços." + INDICATIVE_PT,
            )
        ],
    },
    {
        "code": "pt-consulta-previa",
        "jurisdiction": "PT",
        "kind": K.OTHER,
        "name": {"pt": "Consulta prévia", "en": "Prior consultation (consulta prévia)"},
        "description": {
            "pt": "Convite a pelo menos três entidades escolhidas pela entidade adjudicante." + INDICATIVE_PT,
            "en": "An invitation to at least three firms chosen by the buyer. Indicative.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Consulta prévia (CCP, art. 20.º, n.º 1, al. c)",
        "steps": [St.NEEDS_ASSESSMENT, St.TENDER_DOCUMENTS, St.EVALUATION_REPORT, St.AWARD_DECISION],
        "source_label": "Código dos Contratos Públicos, art. 20.º, n.º 1, al. c) (redação da Lei 30/2021)",
        "source_url": URL_PT,
        "thresholds": [
            _rule(
                PT_CCP,
                "EUR",
                D(2021, 6, 21),
                low=Decimal("20000"),
                high=Decimal("75000"),
                source="CCP, art. 20.º, n.º 1, al. c): inferior a 75 000 €",
                url=URL_PT,
                note="Bens e serviços." + INDICATIVE_PT,
            )
        ],
    },
    {
        "code": "pt-concurso-publico",
        "jurisdiction": "PT",
        "kind": K.OPEN_TENDER,
        "name": {"pt": "Concurso público", "en": "Public tender (concurso público)"},
        "description": {
            "pt": "Qualquer interessado pode apresentar proposta; qualquer valor.",
            "en": "Anyone interested may bid; any value.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Concurso público (CCP, arts. 130.º e ss.)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "Código dos Contratos Públicos, arts. 20.º, n.º 1, al. b), e 130.º e ss.",
        "source_url": URL_PT,
        "thresholds": _any_value(PT_CCP, "EUR", D(2008, 7, 30), "CCP, art. 20.º (qualquer valor)", URL_PT),
    },
    {
        "code": "pt-parceria-inovacao",
        "jurisdiction": "PT",
        "kind": K.INNOVATION_PARTNERSHIP,
        "name": {"pt": "Parceria para a inovação", "en": "Innovation partnership"},
        "description": {
            "pt": "Investigação e desenvolvimento de bens ou serviços inovadores e a sua "
            "aquisição, por fases.",
            "en": "Research and development of innovative goods or services and their purchase, in phases.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Parceria para a inovação (CCP, arts. 218.º-A a 218.º-D)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 10,
        "source_label": "Código dos Contratos Públicos, arts. 218.º-A a 218.º-D (Decreto-Lei 111-B/2017)",
        "source_url": URL_PT,
        "thresholds": _any_value(PT_CCP, "EUR", D(2018, 1, 1), "CCP, art. 218.º-A (qualquer valor)", URL_PT),
    },
]

GOVBUYS_PROCEDURES: list[dict] = [
    {
        "code": "be-faible-montant",
        "jurisdiction": "BE",
        "kind": K.MINOR_VALUE,
        "name": {"fr": "Marché de faible montant", "en": "Low-value contract"},
        "description": {
            "fr": "Sur simple facture acceptée, après consultation si possible de plusieurs opérateurs."
            + INDICATIVE_FR,
            "en": "On an accepted invoice, after consulting several operators where possible. Indicative.",
        },
        "ocds_method": "direct",
        "ocds_method_details": "Marché de faible montant (loi du 17 juin 2016, art. 92)",
        "steps": [St.NEEDS_ASSESSMENT, St.AWARD_DECISION],
        "source_label": "Loi du 17 juin 2016, art. 92",
        "source_url": URL_BE,
        "thresholds": [
            _rule(
                BE_LOI,
                "EUR",
                D(2017, 6, 30),
                high=Decimal("30000"),
                source="Loi du 17 juin 2016, art. 92 : inférieur à 30 000 € HTVA (indicatif)",
                url=URL_BE,
                note="Montant hors TVA." + INDICATIVE_FR,
            )
        ],
    },
    {
        "code": "be-negociee-sans-publication",
        "jurisdiction": "BE",
        "kind": K.OTHER,
        "name": {
            "fr": "Procédure négociée sans publication préalable",
            "en": "Negotiated procedure without prior publication",
        },
        "description": {
            "fr": "Consultation de quelques opérateurs choisis, sous le montant fixé par la loi."
            + INDICATIVE_FR,
            "en": "A few chosen operators are consulted, below the amount set by the law. Indicative.",
        },
        "ocds_method": "limited",
        "ocds_method_details": "Procédure négociée sans publication préalable (loi du 17 juin 2016, art. 42)",
        "steps": [St.NEEDS_ASSESSMENT, St.TENDER_DOCUMENTS, St.EVALUATION_REPORT, St.AWARD_DECISION],
        "source_label": "Loi du 17 juin 2016, art. 42, § 1er, 1°, a)",
        "source_url": URL_BE,
        "thresholds": [
            _rule(
                BE_LOI,
                "EUR",
                D(2024, 1, 1),
                high=Decimal("143000"),
                source="Loi du 17 juin 2016, art. 42, § 1er, 1°, a) : inférieur à 143 000 € HTVA",
                url=URL_BE,
                note="Le montant suit l'indexation des seuils." + INDICATIVE_FR,
            )
        ],
    },
    {
        "code": "be-procedure-ouverte",
        "jurisdiction": "BE",
        "kind": K.OPEN_TENDER,
        "name": {"fr": "Procédure ouverte", "en": "Open procedure"},
        "description": {
            "fr": "Tout opérateur peut remettre une offre ; délai d'attente avant la conclusion.",
            "en": "Any operator may bid; a standstill before the contract is concluded.",
        },
        "ocds_method": "open",
        "ocds_method_details": "Procédure ouverte (loi du 17 juin 2016, art. 36)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 15,
        "source_label": "Loi du 17 juin 2016, art. 36; délai d'attente : loi du 17 juin 2013, art. 11",
        "source_url": URL_BE,
        "thresholds": _any_value(BE_LOI, "EUR", D(2017, 6, 30), "Loi du 17 juin 2016, art. 35", URL_BE),
    },
    {
        "code": "be-partenariat-innovation",
        "jurisdiction": "BE",
        "kind": K.INNOVATION_PARTNERSHIP,
        "name": {"fr": "Partenariat d'innovation", "en": "Innovation partnership"},
        "description": {
            "fr": "Développement et achat d'une solution innovante avec un ou plusieurs "
            "partenaires, en phases.",
            "en": "Development and purchase of an innovative solution with one or more partners, in phases.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Partenariat d'innovation (loi du 17 juin 2016, art. 40)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 15,
        "source_label": "Loi du 17 juin 2016, art. 40",
        "source_url": URL_BE,
        "thresholds": _any_value(BE_LOI, "EUR", D(2017, 6, 30), "Loi du 17 juin 2016, art. 40", URL_BE),
    },
    {
        "code": "be-dialogue-competitif",
        "jurisdiction": "BE",
        "kind": K.COMPETITIVE_DIALOGUE,
        "name": {"fr": "Dialogue compétitif", "en": "Competitive dialogue"},
        "description": {
            "fr": "Dialogue avec des candidats sélectionnés pour définir la solution, puis offres.",
            "en": "A dialogue with selected candidates to define the solution, then tenders.",
        },
        "ocds_method": "selective",
        "ocds_method_details": "Dialogue compétitif (loi du 17 juin 2016, art. 39)",
        "steps": [*_ALL_STEPS, St.STANDSTILL],
        "standstill_days": 15,
        "source_label": "Loi du 17 juin 2016, art. 39",
        "source_url": URL_BE,
        "thresholds": _any_value(BE_LOI, "EUR", D(2017, 6, 30), "Loi du 17 juin 2016, art. 39", URL_BE),
    },
]

REFERENCE: dict[str, list[dict]] = {
    "milab": MILAB_PROCEDURES,
    "innovationsupphandling-syd": SYD_PROCEDURES,
    "govtech-lab-luxembourg": LUX_PROCEDURES,
    "labx": LABX_PROCEDURES,
    "govbuys-innovation": GOVBUYS_PROCEDURES,
}

# --- People ------------------------------------------------------------------------------------------

# The finance contact of each buying entity: (e-mail, name, language, time zone, entity slug, job title).
FINANCE: list[tuple[str, str, str, str, str, str]] = [
    (
        "finanzas@invima.example",
        "Gloria Patricia Rincón",
        "es",
        "America/Bogota",
        "invima",
        "Coordinadora del Grupo de Tesorería",
    ),
    (
        "finanzas@sic.example",
        "Ricardo Montoya",
        "es",
        "America/Bogota",
        "sic",
        "Coordinador del Grupo de Gestión Financiera",
    ),
    (
        "finanzas@fondo-nacional-del-ahorro.example",
        "Adriana Lucía Beltrán",
        "es",
        "America/Bogota",
        "fondo-nacional-del-ahorro",
        "Jefe de la División de Tesorería",
    ),
    (
        "ekonomi@tomelilla-kommun.example",
        "Lena Håkansson",
        "sv",
        "Europe/Stockholm",
        "tomelilla-kommun",
        "Ekonomichef",
    ),
    (
        "ekonomi@simrishamns-kommun.example",
        "Anders Mattsson",
        "sv",
        "Europe/Stockholm",
        "simrishamns-kommun",
        "Controller",
    ),
    (
        "ekonomi@ystads-kommun.example",
        "Birgitta Olsson",
        "sv",
        "Europe/Stockholm",
        "ystads-kommun",
        "Redovisningschef",
    ),
    (
        "ekonomi@sjobo-kommun.example",
        "Per-Olof Svensson",
        "sv",
        "Europe/Stockholm",
        "sjobo-kommun",
        "Ekonomichef",
    ),
]
FINANCE_OF = {slug: email for email, _name, _language, _zone, slug, _title in FINANCE}

# --- MiLAB: two purchases after the Demo Day of 16 October 2025 --------------------------------------

MILAB = "milab"
MILAB_STAFF = "staff@milab.example"
INVIMA_OWNER, FNA_OWNER = "invima", "fondo-nacional-del-ahorro"
INVIMA_TITLE = "Detecting the illegal online sale of medicines and medical devices"
FNA_TITLE = "Housing credit for self-employed and informal workers"

INVIMA = {
    "procedure": "co-seleccion-abreviada-menor-cuantia",
    "title": "Selección abreviada de menor cuantía — detección de venta ilegal en línea",
    "description": (
        "Servicio de detección y seguimiento de la venta ilegal en línea de medicamentos y dispositivos "
        "médicos, con la solución seleccionada en el Demo Day de MiLAB del 16 de octubre de 2025."
    ),
    "estimated_value": Decimal("350000000"),
    "justification": (
        "La Ley 80 de 1993 rige al INVIMA. El valor estimado (350 millones de pesos) supera la "
        "mínima cuantía "
        "y no llega a la menor cuantía de la entidad: la modalidad es la selección abreviada de menor "
        "cuantía, con los criterios de calidad de la guía de Compra Pública para la Innovación."
    ),
    "created_on": D(2025, 10, 21),
    "tender": (D(2025, 11, 10), D(2025, 11, 24)),
    "steps": {
        St.NEEDS_ASSESSMENT: (D(2025, 10, 24), "Estudios previos: necesidad funcional, no una tecnología."),
        St.MARKET_CONSULTATION: (
            D(2025, 10, 31),
            "Análisis del sector y consulta al mercado: seis empresas respondieron, con "
            "precios de referencia.",
        ),
        St.TENDER_DOCUMENTS: (D(2025, 11, 10), "Pliego definitivo publicado en el SECOP II."),
        St.EVALUATION_REPORT: (
            D(2025, 11, 28),
            "Informe de evaluación: tres ofertas; la de Rastro Digital obtiene el mayor puntaje técnico.",
        ),
        St.AWARD_DECISION: (D(2025, 12, 5), "Resolución de adjudicación."),
    },
    "decided_on": D(2025, 12, 5),
    "reasons": (
        "Mayor puntaje técnico y económico del informe de evaluación: detección validada en el piloto "
        "(el tiempo de respuesta bajó de 15 a unos 9 días) y precio dentro del presupuesto."
    ),
    "value": Decimal("348500000"),
    "award_title": "Servicio de detección de venta ilegal en línea — Rastro Salud",
    "contract": {
        "scope": (
            "Rastreo diario de tiendas en línea, marketplaces y redes sociales; reconocimiento de empaques; "
            "cruce con el registro sanitario; alertas a los grupos de vigilancia del INVIMA; tablero y "
            "transferencia de conocimiento."
        ),
        "starts_on": D(2026, 1, 19),
        "ends_on": D(2026, 8, 31),
        "ip_terms": "supplier_licence",
        "ip_details": (
            "La propiedad intelectual del software sigue siendo de Rastro Digital; el INVIMA "
            "recibe una licencia "
            "de uso perpetua y los datos y modelos entrenados con sus datos."
        ),
        "payment_terms_days": 30,
        "report_every_days": 90,
        "confidential_notes": "Tarifas unitarias por marketplace: ver anexo económico (reservado).",
    },
    "created_contract_on": D(2026, 1, 8),
    "signed_on": D(2026, 1, 15),
    "milestones": [
        (
            "Plan de trabajo e integración",
            "Plan aprobado; conexión a la base del registro sanitario.",
            D(2026, 2, 27),
            D(2026, 2, 25),
        ),
        (
            "Detección de medicamentos en producción",
            "Alertas diarias a los grupos de vigilancia.",
            D(2026, 5, 29),
            D(2026, 5, 27),
        ),
        (
            "Informe de resultados de la primera fase",
            "Informe, tablero y manual de operación.",
            D(2026, 8, 31),
            D(2026, 8, 28),
        ),
    ],
    # (label, amount, due, milestone index)
    "schedule": [
        ("Primer pago: plan de trabajo (20 %)", Decimal("69700000"), D(2026, 3, 31), 0),
        ("Segundo pago: detección en producción (30 %)", Decimal("104550000"), D(2026, 6, 30), 1),
        ("Tercer pago: informe de la primera fase (30 %)", Decimal("104550000"), D(2026, 9, 30), 2),
        ("Pago final: transferencia y cierre (20 %)", Decimal("69700000"), D(2027, 3, 31), None),
    ],
    # (invoice, schedule line, received, approved, paid)
    "payments": [
        ("FE-1021", 0, D(2026, 3, 2), D(2026, 3, 6), D(2026, 3, 20)),
        ("FE-1088", 1, D(2026, 6, 1), D(2026, 6, 5), D(2026, 6, 19)),
        ("FE-1154", 2, D(2026, 9, 1), D(2026, 9, 8), D(2026, 9, 25)),
    ],
    "amendment": {
        "on": D(2026, 8, 14),
        "reason": (
            "Adición y prórroga: el INVIMA amplía la detección a dispositivos médicos y a dos marketplaces "
            "más, tras los resultados de la primera fase. Se adicionan 80 millones de pesos (23 % del valor "
            "inicial) y el plazo se prorroga hasta el 26 de febrero de 2027."
        ),
        "value": Decimal("428500000"),
        "ends_on": D(2027, 2, 26),
        "scope": (
            "Rastreo diario de tiendas en línea, marketplaces y redes sociales; reconocimiento de empaques; "
            "cruce con el registro sanitario; alertas a los grupos de vigilancia del INVIMA; tablero y "
            "transferencia de conocimiento. Adición: dispositivos médicos y dos marketplaces más."
        ),
    },
    "after_amendment": {
        "milestones": [
            (
                "Extensión a dispositivos médicos y dos marketplaces",
                "Alertas de dispositivos médicos en producción.",
                D(2026, 11, 27),
                D(2026, 11, 24),
            ),
            (
                "Transferencia y cierre",
                "Manual, capacitación del equipo y entrega de los modelos.",
                D(2027, 2, 26),
                None,
            ),
        ],
        "schedule": [
            (
                "Pago de la adición: dispositivos médicos (80 millones)",
                Decimal("80000000"),
                D(2026, 12, 31),
                0,
            )
        ],
        # Invoiced and approved, not paid yet: falls due on 28 December 2026 (a reminder goes first).
        "payments": [("FE-1230", 0, D(2026, 11, 27), D(2026, 12, 2), None)],
    },
    # (due on, percent, summary, reviewed?)
    "reports": [
        (
            D(2026, 4, 19),
            25,
            "Integración lista; primeras alertas en pruebas con el grupo de vigilancia.",
            True,
        ),
        (D(2026, 7, 18), 60, "Detección de medicamentos en producción: 1.340 publicaciones retiradas.", True),
        (D(2026, 8, 31), 100, "Primera fase terminada; informe de resultados entregado.", True),
        (
            D(2026, 10, 16),
            40,
            "Adición: modelo de dispositivos médicos entrenado; dos marketplaces conectados.",
            False,
        ),
    ],
    "issues": [
        {
            "kind": "issue",
            "title": "Un marketplace cambió su estructura y se perdió el rastreo durante cuatro días",
            "description": "Entre el 9 y el 12 de junio no llegaron alertas de ese marketplace.",
            "severity": "medium",
            "status": "mitigated",
            "mitigation": "Rastreo por API oficial acordado con el marketplace; alerta automática si cae.",
            "on": D(2026, 6, 12),
        },
        {
            "kind": "risk",
            "title": "Rotación del equipo de la Oficina de Tecnologías del INVIMA",
            "description": "Dos de las cuatro personas capacitadas terminan su contrato en enero.",
            "severity": "medium",
            "status": "open",
            "mitigation": "Capacitación adicional de dos funcionarios de planta antes del cierre.",
            "on": D(2026, 10, 20),
        },
    ],
    "implementation_status": "on_track",
}

FNA = {
    "procedure": "fna-invitacion-cerrada",
    "title": "Invitación cerrada — puntaje de crédito con datos alternativos",
    "description": (
        "Puntaje de crédito explicable con datos alternativos para trabajadores independientes e informales, "
        "con la solución seleccionada en el Demo Day de MiLAB del 16 de octubre de 2025."
    ),
    "estimated_value": Decimal("420000000"),
    "justification": (
        "El FNA, empresa industrial y comercial del Estado de carácter financiero, contrata con su propio "
        "Manual de Contratación. Por el valor estimado (unos 295 SMMLV de 2025), el manual prevé la "
        "invitación cerrada a varias empresas identificadas en el estudio de mercado."
    ),
    "created_on": D(2025, 10, 20),
    "tender": (D(2025, 11, 6), D(2025, 11, 18)),
    "steps": {
        St.NEEDS_ASSESSMENT: (
            D(2025, 10, 22),
            "Estudio de necesidad aprobado por la Vicepresidencia de Crédito.",
        ),
        St.MARKET_CONSULTATION: (
            D(2025, 10, 30),
            "Estudio de mercado: cuatro empresas con modelos explicables.",
        ),
        St.TENDER_DOCUMENTS: (D(2025, 11, 6), "Invitación cerrada enviada a tres empresas."),
        St.EVALUATION_REPORT: (D(2025, 11, 20), "Informe del comité evaluador."),
        St.AWARD_DECISION: (D(2025, 11, 27), "Aceptación de la oferta."),
    },
    "decided_on": D(2025, 11, 27),
    "reasons": (
        "Mejor oferta del comité evaluador: modelo explicable validado en el programa de fortalecimiento, "
        "consentimiento del usuario incorporado y precio dentro del plan de inversión."
    ),
    "value": Decimal("412000000"),
    "award_title": "Puntaje de crédito con datos alternativos — Nido Score",
    "contract": {
        "scope": (
            "Perfil de ingresos con datos alternativos autorizados por el usuario, puntaje "
            "explicable, reportes "
            "al comité de crédito y puesta en producción en el proceso de crédito de vivienda del FNA."
        ),
        "starts_on": D(2026, 1, 26),
        "ends_on": D(2026, 8, 28),
        "ip_terms": "supplier_licence",
        "ip_details": "El modelo es de Nido Fintech; el FNA tiene licencia de uso y los datos son del FNA.",
        "payment_terms_days": 30,
        "report_every_days": 90,
        "confidential_notes": "Condiciones de la póliza de cumplimiento: ver expediente (reservado).",
    },
    "created_contract_on": D(2026, 1, 14),
    "signed_on": D(2026, 1, 20),
    "milestones": [
        (
            "Perfil de ingresos con datos alternativos",
            "Perfil calculado para 5.000 afiliados independientes.",
            D(2026, 3, 31),
            D(2026, 3, 27),
        ),
        (
            "Puntaje explicable aprobado por el comité de riesgo",
            "Documento de validación y aprobación.",
            D(2026, 6, 12),
            D(2026, 6, 10),
        ),
        (
            "Puesta en producción y reportes al comité",
            "Puntaje en el flujo de crédito; reportes mensuales.",
            D(2026, 8, 28),
            D(2026, 8, 26),
        ),
    ],
    "schedule": [
        ("Primer pago: perfil de ingresos (30 %)", Decimal("123600000"), D(2026, 4, 30), 0),
        ("Segundo pago: puntaje aprobado (40 %)", Decimal("164800000"), D(2026, 7, 15), 1),
        ("Tercer pago: producción (30 %)", Decimal("123600000"), D(2026, 9, 30), 2),
    ],
    # The second invoice falls due on 16 July 2026 and is paid on 28 July: 12 days late (42 days to pay).
    "payments": [
        ("NF-0311", 0, D(2026, 4, 6), D(2026, 4, 10), D(2026, 4, 24)),
        ("NF-0347", 1, D(2026, 6, 16), D(2026, 7, 14), D(2026, 7, 28)),
        ("NF-0402", 2, D(2026, 9, 1), D(2026, 9, 4), D(2026, 9, 15)),
    ],
    "reports": [
        (
            D(2026, 4, 26),
            35,
            "Perfil de ingresos calculado; primeras pruebas con el comité de crédito.",
            True,
        ),
        (D(2026, 7, 25), 75, "Puntaje aprobado por el comité de riesgo; integración en curso.", True),
        (D(2026, 8, 28), 100, "En producción desde el 24 de agosto; 2.100 solicitudes evaluadas.", True),
    ],
    "issues": [
        {
            "kind": "issue",
            "title": "El segundo pago se hizo 12 días después de su vencimiento",
            "description": "La factura esperó la aprobación del supervisor durante el cierre semestral.",
            "severity": "medium",
            "status": "closed",
            "mitigation": "Recordatorio al contacto financiero antes de cada vencimiento; "
            "supervisor suplente.",
            "on": D(2026, 7, 20),
        },
        {
            "kind": "risk",
            "title": "Cambios de la Superintendencia Financiera sobre el uso de datos alternativos",
            "description": "Una circular en consulta podría exigir nuevas autorizaciones.",
            "severity": "high",
            "status": "mitigated",
            "mitigation": "Consentimiento granular y revisión jurídica con el área de cumplimiento.",
            "on": D(2026, 3, 10),
        },
    ],
    "finished_on": D(2026, 9, 30),
    "finish_reason": "Entregado: los tres hitos cumplidos y pagados.",
    "lessons": {
        "successes": (
            "El piloto y el programa de fortalecimiento dejaron lista la validación: el comité "
            "de riesgo aprobó "
            "el puntaje en la primera sesión. En tres meses de producción se aprobaron un 38 % "
            "más de créditos "
            "a independientes, sin más cartera vencida."
        ),
        "failures": (
            "El segundo pago llegó 12 días tarde: la factura esperó la firma del supervisor "
            "durante el cierre "
            "semestral. Para una empresa pequeña, eso es caja que no tiene."
        ),
        "entity_would_change": (
            "Nombrar un supervisor suplente y avisar al contacto financiero antes de cada vencimiento; "
            "incluir desde el inicio al área de cumplimiento."
        ),
        "solver_would_change": (
            "Facturar cada hito el día en que se cumple y acordar antes el formato de los reportes al comité."
        ),
        "written_on": D(2026, 10, 9),
    },
    "closed_on": D(2026, 10, 15),
}

# --- Innovationsupphandling Syd: the suppliers' day and a joint procurement of four municipalities ------

SYD = "innovationsupphandling-syd"
SYD_CALL = "innovationsupphandling-2026"
SYD_MANAGER = "manager@innovationsupphandling-syd.example"
SYD_ENTITY = "entity@innovationsupphandling-syd.example"
SYD_SHARING = "A service to lend, swap and sell between municipalities"
SYD_FLOORS = "Clean and dry floors in schools and pre-schools"
SYD_CO_BUYERS = ["simrishamns-kommun", "ystads-kommun", "sjobo-kommun"]
SYD_CRITERIA_LEVELS = {"delabanken": 3, "lokalnyttan": 3, "golvsmart": 3}  # the scale is 0–3

SYD_PROCESS = {
    "procedure": "se-forenklat-forfarande",
    "title": "Gemensam upphandling: delningstjänst för fyra kommuner",
    "description": (
        "Tomelilla kommun upphandlar för sig och för Simrishamns, Ystads och Sjöbo kommuner en "
        "tjänst för att "
        "låna, byta och sälja möbler, utrustning och lokaler mellan kommunerna, i fyra delar."
    ),
    "estimated_value": Decimal("1300000"),
    "justification": (
        "Det samlade värdet för fyra kommuner under två år (1,3 miljoner kronor) överstiger "
        "direktupphandlingsgränsen men understiger EU:s tröskelvärde: förenklat förfarande "
        "enligt LOU 19 kap., "
        "annonserat som innovationsupphandling, med avtalsspärr."
    ),
    # Four lots, four suppliers (as in the seeds); the first two are the solutions selected at the
    # suppliers' day, the other two won lots that were not part of the call.
    "awards": [
        ("delabanken", True, Decimal("420000"), "Del 1: gemensam delningsplattform (Delabanken Kommun)"),
        (
            "lokalnyttan",
            True,
            Decimal("310000"),
            "Del 2: bokning av lokaler och utrustning (Lokalnyttan Plus)",
        ),
        ("samakning-osterlen", False, Decimal("260000"), "Del 3: samordnade transporter mellan kommunerna"),
        ("sprintverket", False, Decimal("240000"), "Del 4: designsprintar för införandet"),
    ],
    "reasons": (
        "Tilldelning per del till det ekonomiskt mest fördelaktiga anbudet enligt bästa förhållande mellan "
        "pris och kvalitet: behovet, innovationshöjden, hållbarheten och priset."
    ),
}


# --- Loading -----------------------------------------------------------------------------------------


def _user(email: str):
    return get_user_model().objects.filter(email__iexact=email).first()


def _at(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _regime(lab: Lab, spec: tuple[str, str]) -> LegalRegime | None:
    code, text = spec
    return LegalRegime.objects.filter(lab=lab, **{f"name__{code}": text}).first()


def load_reference(created: Counter) -> dict[str, dict[str, ProcedureType]]:
    """Each demo lab's procedure types and thresholds (made by the lab's manager); {lab: "
    "{code: procedure}}."""
    from . import services

    found: dict[str, dict[str, ProcedureType]] = {}
    for slug, procedures in REFERENCE.items():
        lab = Lab.objects.filter(slug=slug).first()
        manager = _user(f"manager@{slug}.example")
        if lab is None or manager is None:
            continue
        found[slug] = {}
        for spec in procedures:
            procedure = ProcedureType.objects.filter(lab=lab, code=spec["code"]).first()
            if procedure is None:
                fields = {k: v for k, v in spec.items() if k != "thresholds"}
                procedure = services.procedure_save(lab=lab, by=manager, **fields)
                created["procedures"] += 1
            found[slug][spec["code"]] = procedure
            for row in spec["thresholds"]:
                regime = _regime(lab, row["legal_regime"])
                if regime is None:
                    continue  # the challenges demo did not make this regime: nothing to hang it on
                if Threshold.objects.filter(
                    procedure=procedure,
                    legal_regime=regime,
                    currency=row["currency"],
                    valid_from=row["valid_from"],
                ).exists():
                    continue
                services.threshold_save(procedure=procedure, by=manager, **{**row, "legal_regime": regime})
                created["thresholds"] += 1
    return found


def load_people(created: Counter) -> dict[str, object]:
    """The finance contact of each buying entity, a member of it; {entity slug: user}."""
    from govlab.evaluation.demo import _person
    from govlab.organisations.services import organisation_membership_add

    system = _user(ADMIN_EMAIL)
    people = {}
    for email, name, language, zone, slug, job_title in FINANCE:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None or system is None:
            continue
        user = _person(email, name, language, zone, created)
        if not organisation.memberships.filter(user=user).exists():
            organisation_membership_add(
                organisation=organisation, user=user, role="member", job_title=job_title, added_by=system
            )
            created["finance_contacts"] += 1
        people[slug] = user
    return people


def _challenge(lab_slug: str, owner_slug: str, title: str) -> Challenge | None:
    return Challenge.objects.filter(lab__slug=lab_slug, owner__slug=owner_slug, title__en=title).first()


def _has_process(challenge: Challenge) -> bool:
    return ProcurementProcess.objects.filter(challenge=challenge).exclude(status="cancelled").exists()


def _selected(challenge: Challenge) -> list:
    from govlab.demoday.models import Selection

    return [
        s.application for s in Selection.objects.filter(challenge=challenge).select_related("application")
    ]


def _date_transition(challenge: Challenge, target: str, when: dt.datetime) -> None:
    step = (
        ChallengeTransition.objects.filter(challenge=challenge, to_status=target)
        .order_by("-created_at")
        .first()
    )
    if step is not None:
        ChallengeTransition.objects.filter(pk=step.pk).update(created_at=when)
    last = ChallengeTransition.objects.filter(challenge=challenge).order_by("-created_at").first()
    if last is not None:
        Challenge.objects.filter(pk=challenge.pk).update(status_changed_at=last.created_at)


def _process(
    challenge, story: dict, procedures: dict, staff, zone, created: Counter, *, applications, co_buyers=()
):
    """Start the purchase, date its steps and award it; returns the process and its awards."""
    from . import services

    process = services.process_create(
        challenge=challenge,
        procedure=procedures[story["procedure"]],
        by=staff,
        estimated_value=story["estimated_value"],
        currency=story.get("currency") or challenge.lab.currency,
        route_justification=story["justification"],
        applications=applications,
        co_buyers=co_buyers,
        title=story["title"],
        description=story["description"],
        tender_starts_on=story["tender"][0],
        tender_ends_on=story["tender"][1],
    )
    created["processes"] += 1
    steps = {step.kind: step for step in ProcessStep.objects.filter(process=process)}
    for kind, (day, notes) in story["steps"].items():
        if kind in steps and kind != St.AWARD_DECISION:
            services.step_save(step=steps[kind], by=staff, planned_on=day, done_on=day, notes=notes)
    services.process_award(
        process=process,
        by=staff,
        reasons=story["reasons"],
        awards=story["award_rows"],
        decided_on=story["decided_on"],
    )
    award_day, notes = story["steps"][St.AWARD_DECISION]
    step = ProcessStep.objects.get(process=process, kind=St.AWARD_DECISION)
    services.step_save(step=step, by=staff, planned_on=award_day, done_on=award_day, notes=notes)
    created["awards"] += len(story["award_rows"])
    return process


def _date_process(process, story: dict, zone, *, created_on: dt.date | None = None) -> None:
    """Put the process on the story's dates: chosen, awarded (and the threshold valid on the day chosen)."""
    created_at = _at(created_on or story["created_on"], 10, zone)
    awarded_at = _at(story["decided_on"], 16, zone)
    fields = {"created_at": created_at, "awarded_at": awarded_at, "updated_at": awarded_at}
    threshold = process.threshold
    day = created_on or story["created_on"]
    if threshold is not None and not (
        threshold.valid_from <= day and (threshold.valid_until is None or day <= threshold.valid_until)
    ):
        # The route was judged on the day the demo runs; the story chose it under that day's rule.
        then = (
            Threshold.objects.filter(
                procedure=threshold.procedure,
                legal_regime=threshold.legal_regime,
                currency=threshold.currency,
                valid_from__lte=day,
            )
            .exclude(valid_until__lt=day)
            .first()
        )
        if then is not None:
            fields["threshold"] = then
    ProcurementProcess.objects.filter(pk=process.pk).update(**fields)
    Award.objects.filter(process=process).update(decided_at=awarded_at)
    _date_transition(process.challenge, ChallengeStatus.PROCURING, created_at)


def _contract(award, story: dict, staff, finance, created: Counter):
    from govlab.contracts import services

    contract = services.contract_create(by=staff, award=award, finance_contact=finance, **story["contract"])
    created["contracts"] += 1
    return contract


def _milestones_and_schedule(contract, rows, schedule, staff, created: Counter) -> list:
    from govlab.contracts import services

    milestones = []
    for title, deliverables, due, met in rows:
        milestones.append(
            services.milestone_save(
                contract=contract,
                by=staff,
                title=title,
                deliverables=deliverables,
                due_on=due,
                status="met" if met else "scheduled",
                met_on=met,
            )
        )
        created["milestones"] += 1
    lines = []
    for label, amount, due, index in schedule:
        lines.append(
            services.schedule_save(
                contract=contract,
                by=staff,
                label=label,
                amount=amount,
                due_on=due,
                milestone=milestones[index] if index is not None else None,
            )
        )
        created["scheduled_payments"] += 1
    return lines


def _payments(contract, rows, lines, finance, zone, created: Counter) -> list:
    from govlab.contracts import services
    from govlab.contracts.models import Payment

    made = []
    for number, index, received, approved, paid in rows:
        line = lines[index]
        payment = services.invoice_record(
            contract=contract,
            by=finance,
            invoice_number=number,
            amount=line.amount,
            invoice_received_on=received,
            scheduled=line,
        )
        if approved:
            payment = services.payment_approve(payment=payment, by=finance, approved_on=approved)
        if paid:
            payment = services.payment_pay(payment=payment, by=finance, paid_on=paid)
        stamp = _at(paid or approved or received, 15, zone)
        Payment.objects.filter(pk=payment.pk).update(created_at=_at(received, 9, zone), updated_at=stamp)
        made.append(payment)
        created["payments"] += 1
    return made


def _reports(contract, rows, supplier_user, staff, zone, created: Counter) -> None:
    from govlab.contracts import services
    from govlab.contracts.models import ProgressReport

    for due, percent, summary, reviewed in rows:
        report = ProgressReport.objects.filter(contract=contract, due_on=due).first()
        if report is None:
            continue
        report = services.report_submit(
            report=report, by=supplier_user, summary=summary, percent_complete=percent
        )
        stamps = {"submitted_at": _at(due - dt.timedelta(days=1), 17, zone)}
        if reviewed:
            report = services.report_review(report=report, by=staff, review_notes="Revisado con la entidad.")
            stamps["reviewed_at"] = _at(due + dt.timedelta(days=4), 11, zone)
        ProgressReport.objects.filter(pk=report.pk).update(**stamps)
        created["reports"] += 1


def _issues(contract, rows, staff, zone, created: Counter) -> None:
    from govlab.contracts import services
    from govlab.contracts.models import ImplementationIssue

    for row in rows:
        issue = services.issue_save(
            contract=contract,
            by=staff,
            kind=row["kind"],
            title=row["title"],
            description=row["description"],
            severity=row["severity"],
            status=row["status"],
            mitigation=row["mitigation"],
        )
        ImplementationIssue.objects.filter(pk=issue.pk).update(created_at=_at(row["on"], 12, zone))
        created["issues"] += 1


def _date_contract(contract, story: dict, zone) -> None:
    from govlab.contracts.models import Contract, ContractVersion

    Contract.objects.filter(pk=contract.pk).update(created_at=_at(story["created_contract_on"], 10, zone))
    ContractVersion.objects.filter(contract=contract, number=1).update(
        created_at=_at(story["signed_on"], 11, zone)
    )
    _date_transition(contract.challenge, ChallengeStatus.IMPLEMENTING, _at(story["signed_on"], 11, zone))


def _supplier_user(organisation):
    from govlab.organisations.models import OrganisationMembership

    membership = (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _milab_case(owner_slug: str, title: str, people):
    """(challenge, staff, finance contact, zone) of a MiLAB purchase still to make; None otherwise."""
    challenge = _challenge(MILAB, owner_slug, title)
    staff, finance = _user(MILAB_STAFF), people.get(owner_slug)
    if challenge is None or staff is None or finance is None or _has_process(challenge):
        return None
    if challenge.status != ChallengeStatus.SOLUTION_SELECTED or not _selected(challenge):
        return None
    return challenge, staff, finance, ZoneInfo(challenge.lab.time_zone)


def _milab_purchase(challenge, story, procedures, staff, finance, zone, created: Counter):
    """The common part of MiLAB's two purchases: process, award, signed contract, milestones, payments."""
    from govlab.contracts import services

    [application] = _selected(challenge)[:1]
    story = {
        **story,
        "award_rows": [
            {
                "supplier": application.organisation,
                "application": application,
                "value": story["value"],
                "title": story["award_title"],
            }
        ],
    }
    process = _process(challenge, story, procedures, staff, zone, created, applications=[application])
    award = Award.objects.get(process=process)
    contract = _contract(award, story, staff, finance, created)
    contract = services.contract_sign(contract=contract, by=staff, signed_on=story["signed_on"])
    lines = _milestones_and_schedule(contract, story["milestones"], story["schedule"], staff, created)
    _payments(contract, story["payments"], lines, finance, zone, created)
    _date_process(process, story, zone)
    _date_contract(contract, story, zone)
    return process, contract, _supplier_user(application.organisation)


def load_invima(procedures, people, created: Counter) -> None:
    from govlab.contracts import services
    from govlab.contracts.models import ContractVersion

    case = _milab_case(INVIMA_OWNER, INVIMA_TITLE, people)
    if case is None:
        return
    challenge, staff, finance, zone = case
    with transaction.atomic():
        _unused, contract, supplier_user = _milab_purchase(
            challenge, INVIMA, procedures, staff, finance, zone, created
        )
        change = INVIMA["amendment"]
        services.contract_amend(
            contract=contract,
            by=staff,
            reason=change["reason"],
            value=change["value"],
            ends_on=change["ends_on"],
            scope=change["scope"],
        )
        ContractVersion.objects.filter(contract=contract, number=2).update(
            created_at=_at(change["on"], 11, zone)
        )
        created["amendments"] += 1
        more = INVIMA["after_amendment"]
        lines = _milestones_and_schedule(contract, more["milestones"], more["schedule"], staff, created)
        _payments(contract, more["payments"], lines, finance, zone, created)
        _reports(contract, INVIMA["reports"], supplier_user, staff, zone, created)
        _issues(contract, INVIMA["issues"], staff, zone, created)
        services.implementation_status_set(
            contract=contract, by=staff, implementation_status=INVIMA["implementation_status"]
        )


def load_fna(procedures, people, created: Counter) -> None:
    from govlab.contracts import services
    from govlab.contracts.models import Contract, LessonsLearned

    case = _milab_case(FNA_OWNER, FNA_TITLE, people)
    if case is None:
        return
    challenge, staff, finance, zone = case
    with transaction.atomic():
        _unused, contract, supplier_user = _milab_purchase(
            challenge, FNA, procedures, staff, finance, zone, created
        )
        _reports(contract, FNA["reports"], supplier_user, staff, zone, created)
        _issues(contract, FNA["issues"], staff, zone, created)
        services.contract_finish(
            contract=contract, by=staff, ended_on=FNA["finished_on"], reason=FNA["finish_reason"]
        )
        Contract.objects.filter(pk=contract.pk).update(updated_at=_at(FNA["finished_on"], 16, zone))
        lessons = FNA["lessons"]
        services.lessons_save(
            challenge=challenge,
            by=staff,
            successes=lessons["successes"],
            failures=lessons["failures"],
            entity_would_change=lessons["entity_would_change"],
            solver_would_change=lessons["solver_would_change"],
            is_public=True,
        )
        written = _at(lessons["written_on"], 10, zone)
        LessonsLearned.objects.filter(challenge=challenge).update(created_at=written, updated_at=written)
        created["lessons"] += 1
        services.case_close(
            challenge=challenge,
            by=staff,
            reason="Caso cerrado: contrato entregado y pagado; lecciones aprendidas publicadas.",
        )
        _date_transition(challenge, ChallengeStatus.CLOSED, _at(FNA["closed_on"], 12, zone))
        created["closed"] += 1


def _syd_suppliers_day(call, manager, entity_user, created: Counter):
    """The call's suppliers' day (its Demo Day), held now: both challenges get their solution(s)."""
    from govlab.demoday import services as demoday
    from govlab.demoday.enums import DemoDayStatus, JurorRole
    from govlab.demoday.models import DemoDay
    from govlab.evaluation.selectors import preselected_applications

    if DemoDay.objects.filter(call=call).exists():
        return
    cohort = list(preselected_applications(call).select_related("organisation", "challenge").order_by("pk"))
    if not cohort:
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = now - dt.timedelta(hours=3)
    demo_day = demoday.demo_day_create(
        call=call,
        by=manager,
        title={
            "sv": "Leverantörsdag — Innovationsupphandling Syd",
            "en": "Suppliers' day — Innovationsupphandling Syd",
        },
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2, minutes=30),
        place="Tomelilla kommunhus",
        description={
            "sv": "De förvalda leverantörerna presenterar sina lösningar för de fyra kommunerna.",
            "en": "The preselected suppliers present their solutions to the four municipalities.",
        },
    )
    created["demo_days"] += 1
    criteria = demoday.criteria_copy_from_call(demo_day=demo_day, by=manager)
    for order, application in enumerate(cohort, start=1):
        demoday.pitch_save(
            demo_day=demo_day,
            by=manager,
            application=application,
            order=order,
            starts_at=starts + dt.timedelta(minutes=20 * (order - 1)),
            minutes=15,
        )
    jury = [
        demoday.juror_add(demo_day=demo_day, user=entity_user, role=JurorRole.CHAIR, by=manager),
        demoday.juror_add(demo_day=demo_day, user=manager, role=JurorRole.MEMBER, by=manager),
    ]
    demoday.demo_day_set_status(demo_day=demo_day, status=DemoDayStatus.SCORING_OPEN, by=manager)
    for member in jury:
        for application in cohort:
            demoday.jury_declare(member=member, application=application, has_conflict=False, by=member.user)
            level = SYD_CRITERIA_LEVELS.get(application.organisation.slug, 2)
            demoday.score_save(
                member=member,
                application=application,
                by=member.user,
                scores={str(criterion.pk): level for criterion in criteria},
            )
    demoday.demo_day_set_status(demo_day=demo_day, status=DemoDayStatus.SCORING_CLOSED, by=manager)
    by_challenge: dict[int, list] = {}
    for application in cohort:
        by_challenge.setdefault(application.challenge_id, []).append(application)
    for applications in by_challenge.values():
        chosen = [a for a in applications if a.organisation.slug in SYD_CRITERIA_LEVELS]
        if not chosen:
            continue
        several = len(chosen) > 1
        demoday.select_solution(
            demo_day=demo_day,
            challenge=chosen[0].challenge,
            application=chosen[0],
            also=chosen[1:],
            reasons=(
                "Kommunerna väljer båda lösningarna: de kompletterar varandra i en gemensam upphandling."
                if several
                else "Bäst poäng på behovet och hållbarheten, till ett rimligt pris."
            ),
            feedback={
                a.pk: "Tack för er presentation. Kommunerna valde en annan lösning för det här behovet."
                for a in applications
                if a not in chosen
            },
            by=manager,
        )
        created["selections"] += len(chosen)


def load_syd(procedures, people, created: Counter) -> None:
    """The suppliers' day, then the joint procurement of four municipalities, in its standstill period."""
    from govlab.calls.models import Call
    from govlab.contracts import services as contracts

    from .selectors import lab_today

    call = Call.objects.filter(lab__slug=SYD, slug=SYD_CALL).select_related("lab").first()
    challenge = _challenge(SYD, "tomelilla-kommun", SYD_SHARING)
    manager, entity_user = _user(SYD_MANAGER), _user(SYD_ENTITY)
    finance = people.get("tomelilla-kommun")
    if None in (call, challenge, manager, entity_user, finance) or _has_process(challenge):
        return
    with transaction.atomic():
        _syd_suppliers_day(call, manager, entity_user, created)
        challenge.refresh_from_db()
        selected = _selected(challenge)
        if challenge.status != ChallengeStatus.SOLUTION_SELECTED or not selected:
            return
        lab = challenge.lab
        zone = ZoneInfo(lab.time_zone)
        today = lab_today(lab)
        published = timezone.localtime(call.published_at, zone).date() if call.published_at else today
        deadline = timezone.localtime(call.deadline, zone).date() if call.deadline else today
        by_slug = {a.organisation.slug: a for a in selected}
        suppliers = Organisation.objects.in_bulk(
            [slug for slug, *_rest in SYD_PROCESS["awards"]], field_name="slug"
        )
        story = {
            **SYD_PROCESS,
            "currency": "SEK",
            "tender": (published, deadline),
            "steps": {
                St.NEEDS_ASSESSMENT: (
                    published - dt.timedelta(days=150),
                    "Tre workshoppar med tjänstepersoner: ”tre till fem” behov blev nio.",
                ),
                St.MARKET_CONSULTATION: (
                    published - dt.timedelta(days=45),
                    "Tidig dialog med marknaden och en RFI: bra material, nya idéer, inget genombrott.",
                ),
                St.TENDER_DOCUMENTS: (published, "Upphandlingsdokumenten annonserade med utlysningen."),
                St.EVALUATION_REPORT: (today, "Utvärderingsrapport efter leverantörsdagen."),
                St.AWARD_DECISION: (today, "Tilldelningsbeslut skickat till alla anbudsgivare."),
            },
            "award_rows": [
                {
                    "supplier": suppliers[slug],
                    "application": by_slug.get(slug) if from_call else None,
                    "value": value,
                    "title": title,
                }
                for slug, from_call, value, title in SYD_PROCESS["awards"]
                if slug in suppliers
            ],
            "decided_on": today,
        }
        co_buyers = list(Organisation.objects.filter(slug__in=SYD_CO_BUYERS))
        process = _process(
            challenge, story, procedures, manager, zone, created, applications=selected, co_buyers=co_buyers
        )
        process.refresh_from_db()
        # The contracts are signed after the standstill period; they start in the new year, for two years.
        starts = process.standstill_ends_on + dt.timedelta(days=21)
        starts += dt.timedelta(days=(7 - starts.weekday()) % 7)  # a Monday
        ends = starts.replace(year=starts.year + 2) - dt.timedelta(days=1)
        for award in Award.objects.filter(process=process).select_related("supplier").order_by("pk"):
            contract = contracts.contract_create(
                by=manager,
                award=award,
                scope=award.title,
                starts_on=starts,
                ends_on=ends,
                ip_terms="supplier_licence",
                ip_details="Leverantören behåller rättigheterna; kommunerna får nyttjanderätt "
                "under avtalstiden.",
                payment_terms_days=30,
                report_every_days=91,
                finance_contact=finance,
            )
            created["contracts"] += 1
            half = (award.value / 2).quantize(Decimal("1"))
            rows = [
                (
                    "Införande i de fyra kommunerna",
                    "Tjänsten i drift i Tomelilla, Simrishamn, Ystad och Sjöbo.",
                    starts + dt.timedelta(days=120),
                    None,
                ),
                (
                    "Utvärdering efter första året",
                    "Gemensam utvärdering med kommunerna.",
                    starts + dt.timedelta(days=364),
                    None,
                ),
            ]
            schedule = [
                ("Betalning vid införandet (50 %)", half, starts + dt.timedelta(days=150), 0),
                (
                    "Betalning efter första året (50 %)",
                    award.value - half,
                    starts + dt.timedelta(days=394),
                    1,
                ),
            ]
            _milestones_and_schedule(contract, rows, schedule, manager, created)


def load() -> dict[str, int]:
    """Load (or complete) the phase-5 demo; returns how many of each thing were created (none "
    "the 2nd time)."""
    created: Counter = Counter()
    with transaction.atomic():
        procedures = load_reference(created)
        people = load_people(created)
    if MILAB in procedures:
        load_invima(procedures[MILAB], people, created)
        load_fna(procedures[MILAB], people, created)
    if SYD in procedures:
        load_syd(procedures[SYD], people, created)
    return {key: count for key, count in created.items() if count}
