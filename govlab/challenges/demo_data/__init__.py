"""The demo's campaigns, legal regimes and challenges, taken from the seed documents (../shared/seeds).

Identifiers follow the demo data contract: lab slugs, the ``invima`` entity and the demo e-mails. Public
entities missing from the database are created from ``ENTITIES``; the people who speak for them from
``ENTITY_PEOPLE``.
"""

from __future__ import annotations

from .challenges import CHALLENGES

# Who acts for the lab in the demo's transitions (the first that exists, else the manager is created).
LAB_ACTORS: dict[str, list[str]] = {
    "milab": ["staff@milab.example", "manager@milab.example"],
}
LAB_MANAGERS: dict[str, tuple[str, str, str]] = {
    # slug: (e-mail, full name, language)
    "milab": ("manager@milab.example", "Camila Rojas", "es"),
    "govtech-lab-luxembourg": ("manager@govtech-lab-luxembourg.example", "Claire Weber", "fr"),
    "innovationsupphandling-syd": ("manager@innovationsupphandling-syd.example", "Karin Lindqvist", "sv"),
    "labx": ("manager@labx.example", "Inês Carvalho", "pt"),
    "govbuys-innovation": ("manager@govbuys-innovation.example", "Sophie Dubois", "fr"),
    "partnership-for-change": ("manager@partnership-for-change.example", "Maja Kovač", "en"),
    "acclab-paraguay": ("manager@acclab-paraguay.example", "Lucía Benítez", "es"),
}

# Public entities: slug → (name, country, lab slug).
ENTITIES: dict[str, tuple[str, str, str]] = {
    "invima": ("Instituto Nacional de Vigilancia de Medicamentos y Alimentos (INVIMA)", "CO", "milab"),
    "minjusticia": ("Ministerio de Justicia y del Derecho", "CO", "milab"),
    "sic": ("Superintendencia de Industria y Comercio", "CO", "milab"),
    "fondo-nacional-del-ahorro": ("Fondo Nacional del Ahorro", "CO", "milab"),
    "ctie": ("Centre des technologies de l'information de l'État (CTIE)", "LU", "govtech-lab-luxembourg"),
    "ministry-for-digitalisation-lu": ("Ministère de la Digitalisation", "LU", "govtech-lab-luxembourg"),
    "tomelilla-kommun": ("Tomelilla kommun", "SE", "innovationsupphandling-syd"),
    "simrishamns-kommun": ("Simrishamns kommun", "SE", "innovationsupphandling-syd"),
    "ystads-kommun": ("Ystads kommun", "SE", "innovationsupphandling-syd"),
    "sjobo-kommun": ("Sjöbo kommun", "SE", "innovationsupphandling-syd"),
    "ama": ("Agência para a Modernização Administrativa (AMA)", "PT", "labx"),
    "instituto-da-seguranca-social": ("Instituto da Segurança Social", "PT", "labx"),
    "direcao-geral-da-educacao": ("Direção-Geral da Educação", "PT", "labx"),
    "fps-interior-112": ("SPF Intérieur — Centres d'urgence 112", "BE", "govbuys-innovation"),
    "ministry-of-public-administration-si": (
        "Ministry of Public Administration",
        "SI",
        "partnership-for-change",
    ),
    "financna-uprava-rs": (
        "Financial Administration of the Republic of Slovenia",
        "SI",
        "partnership-for-change",
    ),
    "zavod-za-zaposlovanje-si": ("Employment Service of Slovenia", "SI", "partnership-for-change"),
    "unidad-de-gestion-presidencial": ("Unidad de Gestión de la Presidencia", "PY", "acclab-paraguay"),
    "conacyt-paraguay": ("Consejo Nacional de Ciencia y Tecnología (CONACYT)", "PY", "acclab-paraguay"),
    "municipalidad-san-juan-nepomuceno": ("Municipalidad de San Juan Nepomuceno", "PY", "acclab-paraguay"),
}

# The person who speaks for each entity in the demo: e-mail → (full name, language, entity slugs).
ENTITY_PEOPLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "entity@milab.example": ("Diana Martínez", "es", ("invima",)),
    "entity.sic@milab.example": ("Mauricio Peña", "es", ("sic",)),
    "entity.fna@milab.example": ("Paola Castillo", "es", ("fondo-nacional-del-ahorro",)),
    "entity@govtech-lab-luxembourg.example": ("Luc Schmit", "fr", ("ctie",)),
    "entity@innovationsupphandling-syd.example": ("Stefan Persson", "sv", ("tomelilla-kommun",)),
    "entity@labx.example": (
        "Rita Almeida",
        "pt",
        ("ama", "instituto-da-seguranca-social", "direcao-geral-da-educacao"),
    ),
    "entity@govbuys-innovation.example": ("Marc Lambert", "fr", ("fps-interior-112",)),
    "entity@partnership-for-change.example": (
        "Nina Horvat",
        "en",
        ("ministry-of-public-administration-si", "financna-uprava-rs", "zavod-za-zaposlovanje-si"),
    ),
    "entity@acclab-paraguay.example": (
        "Ramón Giménez",
        "es",
        ("unidad-de-gestion-presidencial", "conacyt-paraguay", "municipalidad-san-juan-nepomuceno"),
    ),
}


def entity_person(entity_slug: str) -> str:
    for email, (_name, _language, entities) in ENTITY_PEOPLE.items():
        if entity_slug in entities:
            return email
    raise KeyError(entity_slug)


def _criteria(*names: dict) -> list[dict]:
    return [{"name": name} for name in names]


_OWNER = {
    "es": "Dueño del problema claro",
    "en": "Clear problem owner",
    "fr": "Responsable du problème identifié",
    "sv": "Tydlig problemägare",
    "pt": "Responsável pelo problema identificado",
}
_BUDGET = {
    "es": "Recursos para la compra",
    "en": "Budget for the purchase",
    "fr": "Budget pour l'achat",
    "sv": "Budget för upphandlingen",
    "pt": "Orçamento para a aquisição",
}
_REGIME = {
    "es": "Régimen jurídico conocido",
    "en": "Legal regime known",
    "fr": "Régime juridique connu",
    "sv": "Känt regelverk",
    "pt": "Regime jurídico conhecido",
}
_TEAM = {
    "es": "Equipo multidisciplinario disponible",
    "en": "Multidisciplinary team available",
    "fr": "Équipe pluridisciplinaire disponible",
    "sv": "Tvärfunktionellt team tillgängligt",
    "pt": "Equipa multidisciplinar disponível",
}
_PILOT = {
    "es": "Infraestructura para un piloto",
    "en": "Pilot infrastructure",
    "fr": "Infrastructure pour un pilote",
    "sv": "Infrastruktur för en pilot",
    "pt": "Infraestrutura para um piloto",
}


def _in(languages: list[str], text: dict) -> dict:
    return {code: text[code] for code in languages if code in text}


def _standard_criteria(languages: list[str]) -> list[dict]:
    return _criteria(*(_in(languages, text) for text in (_OWNER, _BUDGET, _REGIME, _TEAM, _PILOT)))


# Intake campaigns: lab slug → campaign. Dates are set relative to the day the demo is loaded.
CAMPAIGNS: dict[str, dict] = {
    "milab": {
        "slug": "convocatoria-retos-2026",
        "title": {"es": "Convocatoria de retos públicos 2026", "en": "Call for public challenges 2026"},
        "description": {
            "es": (
                "Las entidades públicas nacionales y territoriales presentan sus retos para la siguiente "
                "cohorte de MiLAB. Se priorizan los que tienen equipo, recursos y régimen jurídico claros."
            ),
            "en": (
                "National and local public entities bring their challenges for MiLAB's next cohort. Those "
                "with a committed team, money for the purchase and a known legal regime are prioritised."
            ),
        },
        "criteria": _standard_criteria(["es", "en"]),
    },
    "govtech-lab-luxembourg": {
        "slug": "call-for-challenges-2026",
        "title": {"en": "Call for challenges 2026", "fr": "Appel à défis 2026"},
        "description": {
            "en": "Administrations bring the challenges that the GovTech Lab will put to the market.",
            "fr": "Les administrations soumettent les défis que le GovTech Lab présentera au marché.",
        },
        "criteria": _standard_criteria(["en", "fr"]),
    },
    "innovationsupphandling-syd": {
        "slug": "behovsworkshops-2026",
        "title": {"sv": "Behovsworkshops 2026", "en": "Needs workshops 2026"},
        "description": {
            "sv": (
                "Tre öppna workshops med tjänstepersoner från kommunerna i Skåne för att hitta behov som "
                "kan mötas med innovation. ”Tre till fem” behov blev nio."
            ),
            "en": (
                "Three open workshops with civil servants from Skåne's municipalities to find needs that "
                "innovation can meet. “Three to five” needs became nine."
            ),
        },
        "criteria": _standard_criteria(["sv", "en"]),
    },
    "labx": {
        "slug": "eventos-de-vida-2026",
        "title": {"pt": "Eventos de vida 2026", "en": "Life events 2026"},
        "description": {
            "pt": "Desafios de serviços públicos integrados à volta dos momentos de vida dos cidadãos.",
            "en": "Challenges for integrated public services around the moments of citizens' lives.",
        },
        "criteria": _standard_criteria(["pt", "en"]),
    },
    "govbuys-innovation": {
        "slug": "appel-a-defis-2026",
        "title": {"fr": "Appel à défis GovBuys Innovation 2026", "en": "GovBuys Innovation challenges 2026"},
        "description": {
            "fr": (
                "Des problèmes réels de l'administration fédérale, à tester avec des entreprises innovantes."
            ),
            "en": "Real problems of the federal administration, to test with innovative companies.",
        },
        "criteria": _standard_criteria(["fr", "en"]),
    },
    "partnership-for-change": {
        "slug": "challenge-contest-2026",
        "title": {"en": "Yearly challenge contest 2026"},
        "description": {
            "en": "Challenges from public bodies, NGOs and academia, solved by exchange participants.",
        },
        "criteria": _standard_criteria(["en"]),
    },
    "acclab-paraguay": {
        "slug": "plan-de-aprendizaje-2026",
        "title": {"es": "Plan de aprendizaje 2026", "en": "Learning plan 2026"},
        "description": {
            "es": "Un gran desafío y dos exploratorios, con la Estrategia Nacional de Innovación.",
            "en": "One big bet and two exploratory challenges, with the National Innovation Strategy.",
        },
        "criteria": _standard_criteria(["es", "en"]),
    },
}

# Legal regimes per lab (the first is the general law, used by default).
REGIMES: dict[str, list[dict]] = {
    "milab": [
        {
            "name": {
                "es": "Ley 80 de 1993 — Estatuto General de Contratación de la Administración Pública",
                "en": "Law 80 of 1993 — General Statute of Public Administration Contracting",
            },
            "source_url": "https://www.funcionpublica.gov.co/eva/gestornormativo/norma.php?i=304",
        },
        {
            "name": {
                "es": "Manual de contratación propio (régimen especial)",
                "en": "The entity's own purchasing manual (special regime)",
            },
        },
    ],
    "govtech-lab-luxembourg": [
        {
            "name": {
                "fr": "Loi modifiée du 8 avril 2018 sur les marchés publics",
                "en": "Law of 8 April 2018 on public procurement",
            },
        },
    ],
    "innovationsupphandling-syd": [
        {
            "name": {
                "sv": "Lag (2016:1145) om offentlig upphandling (LOU)",
                "en": "Public Procurement Act (2016:1145)",
            },
        },
    ],
    "labx": [
        {"name": {"pt": "Código dos Contratos Públicos", "en": "Public Contracts Code"}},
    ],
    "govbuys-innovation": [
        {
            "name": {
                "fr": "Loi du 17 juin 2016 relative aux marchés publics",
                "en": "Law of 17 June 2016 on public procurement",
            },
        },
    ],
    "partnership-for-change": [
        {"name": {"en": "Public Procurement Act (ZJN-3)"}},
    ],
    "acclab-paraguay": [
        {
            "name": {
                "es": "Ley N.º 7021/2022 de Suministro y Adquisiciones Públicas",
                "en": "Law 7021/2022 on Public Supply and Procurement",
            },
        },
    ],
}

__all__ = [
    "CAMPAIGNS",
    "CHALLENGES",
    "ENTITIES",
    "ENTITY_PEOPLE",
    "LAB_ACTORS",
    "LAB_MANAGERS",
    "REGIMES",
    "entity_person",
]
