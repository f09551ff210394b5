"""The demo installation's content, taken from the seed documents (see docs and ../shared/DOMAIN.md).

Labs and public entities are the real ones the seeds describe; solver companies are fictional.
Identifiers (lab slugs, demo e-mails, the ``invima`` slug) are the demo data contract shared with the
other demo loaders: do not rename them.
"""

# ruff: noqa: RUF001 (real names and French/Portuguese text use typographic apostrophes and dashes)

from __future__ import annotations

DEMO_PASSWORD = "govlab-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_EMAIL = "admin@govlab.example"

# --- Labs ---------------------------------------------------------------------------------------------

LABS: list[dict] = [
    {
        "slug": "milab",
        "name": {"es": "MiLAB", "en": "MiLAB"},
        "tagline": {
            "es": "Laboratorio de GovTech e Impacto Público de Colombia",
            "en": "Colombia's GovTech and Public Impact Laboratory",
        },
        "about": {
            "es": (
                "MiLAB acelera la transformación digital del sector público conectando a las entidades "
                "públicas, mediante colaboración e innovación abierta, con start-ups y pymes que usan "
                "tecnologías emergentes y metodologías innovadoras. Operado por iNNpulsa Colombia y "
                "aliado con CAF desde 2019, fue el primer laboratorio GovTech de América Latina. Su "
                "metodología de compra pública de innovación tiene cinco fases: convocatoria de retos, "
                "identificación del reto, conexión de soluciones GovTech, fortalecimiento de soluciones e "
                "implementación. Resultados: 27 retos públicos identificados y 24 conectados con el "
                "ecosistema, 35 soluciones fortalecidas y 185 start-ups y pymes GovTech mapeadas."
            ),
            "en": (
                "MiLAB accelerates the digital transformation of the public sector by connecting public "
                "entities, through collaboration and open innovation, with start-ups and SMEs that use "
                "emerging technologies and innovative methods. Operated by iNNpulsa Colombia and allied "
                "with CAF since 2019, it was the first GovTech lab in Latin America. Its public "
                "procurement of innovation method has five phases: call for challenges, identifying the "
                "challenge, connecting GovTech solutions, strengthening solutions and implementation. "
                "Results: 27 public challenges identified and 24 connected with the ecosystem, 35 "
                "solutions strengthened and 185 GovTech start-ups and SMEs mapped."
            ),
        },
        "primary_colour": "#9a3412",
        "languages": ["es", "en"],
        "country": "CO",
        "jurisdiction": "Colombia, national government (operated by iNNpulsa Colombia)",
        "currency": "COP",
        "time_zone": "America/Bogota",
        "contact_email": "contacto@milab.example",
    },
    {
        "slug": "govtech-lab-luxembourg",
        "name": {"en": "GovTech Lab Luxembourg", "fr": "GovTech Lab Luxembourg"},
        "tagline": {
            "en": "Experiment, exchange, innovate: open innovation for Luxembourg's digital public services",
            "fr": (
                "Expérimenter, échanger, innover : l’innovation ouverte au service des démarches "
                "publiques numériques du Luxembourg"
            ),
        },
        "about": {
            "en": (
                "The GovTech Lab is a joint initiative of the Ministry for Digitalisation and its "
                "technological arm, the Government IT Centre (CTIE). It calls on start-ups, researchers, "
                "freelancers, companies and students to rethink procedures and operational flows with "
                "digital by default, design thinking and service by design. It runs calls for challenges "
                "inside the administrations, calls for solutions such as “Bye bye Robots!”, and events "
                "that grow a GovTech community in Luxembourg."
            ),
            "fr": (
                "Le GovTech Lab est une initiative conjointe du ministère de la Digitalisation et de son "
                "bras technologique, le Centre des technologies de l’information de l’État (CTIE). Il fait "
                "appel aux start-up, chercheurs, indépendants, entreprises et étudiants pour repenser les "
                "procédures et les flux de travail selon les principes du numérique par défaut, du design "
                "thinking et du service by design. Il organise des appels à défis au sein des "
                "administrations, des appels à solutions comme « Bye bye Robots! » et des événements pour "
                "faire grandir une communauté GovTech au Luxembourg."
            ),
        },
        "primary_colour": "#00618a",
        "languages": ["en", "fr"],
        "country": "LU",
        "jurisdiction": "Luxembourg, Government (Ministry for Digitalisation and CTIE)",
        "currency": "EUR",
        "time_zone": "Europe/Luxembourg",
        "contact_email": "govtechlab@luxembourg.example",
    },
    {
        "slug": "innovationsupphandling-syd",
        "name": {"sv": "Innovationsupphandling Syd", "en": "Innovation Procurement South"},
        "tagline": {
            "sv": "Innovationsupphandling för små och medelstora kommuner i Skåne",
            "en": "Innovation procurement for small and medium-sized municipalities in Skåne",
        },
        "about": {
            "sv": (
                "Ett nätverk av kommuner i Skåne, med Tomelilla kommun i spetsen, som utvecklar en modell "
                "för innovationsupphandling i små och medelstora kommuner. I tre öppna workshoppar med "
                "tjänstepersoner blev ”tre till fem” behov nio. Tre djupa behovsanalyser, tre tidiga "
                "marknadsdialoger, två annonserade innovationsupphandlingar och avtal med fyra innovativa "
                "leverantörer, bland annat en tjänst för att dela resurser mellan fyra kommuner."
            ),
            "en": (
                "A network of municipalities in Skåne, led by Tomelilla, developing a model for innovation "
                "procurement in small and medium-sized municipalities. In three open workshops with civil "
                "servants, “three to five” needs became nine. Three in-depth needs analyses, three early "
                "market dialogues, two announced innovation procurements and contracts with four "
                "innovative suppliers, including a service for sharing resources between four "
                "municipalities."
            ),
        },
        "primary_colour": "#1e5631",
        "languages": ["sv", "en"],
        "country": "SE",
        "jurisdiction": "Sweden, municipalities of Skåne",
        "currency": "SEK",
        "time_zone": "Europe/Stockholm",
        "contact_email": "innovation@tomelilla.example",
    },
    {
        "slug": "labx",
        "name": {
            "pt": "LabX – Centro para a Inovação no Setor Público",
            "en": "LabX – Public Sector Innovation",
        },
        "tagline": {
            "pt": "Experimentar para melhorar os serviços públicos, com cidadãos e empresas",
            "en": "Experimenting to improve public services, with citizens and businesses",
        },
        "about": {
            "pt": (
                "O LabX nasceu em 2017 como um espaço aberto e seguro para experimentar no setor público "
                "português, centrado nas necessidades de cidadãos e empresas. Realizou 25 projetos "
                "experimentais, com mais de 10 000 cidadãos e 2 000 trabalhadores públicos de mais de 160 "
                "organizações, e contribuiu para o programa Simplex com serviços por eventos de vida como "
                "“Aos 18” e o apoio no luto. Promove o direito ao desafio e uma rede de quase 700 inovadores."
            ),
            "en": (
                "LabX began in 2017 as an open and safe space for experimentation in the Portuguese public "
                "sector, focused on the needs of citizens and businesses. It has run 25 experimental "
                "projects with more than 10,000 citizens and 2,000 public servants from over 160 "
                "organisations, and contributed to the Simplex programme with life-event services such as "
                "“At 18” and bereavement support. It promotes the right to challenge and a network of "
                "almost 700 innovators."
            ),
        },
        "primary_colour": "#6b21a8",
        "languages": ["pt", "en"],
        "country": "PT",
        "jurisdiction": "Portugal, central public administration (AMA)",
        "currency": "EUR",
        "time_zone": "Europe/Lisbon",
        "contact_email": "labx@ama.example",
    },
    {
        "slug": "govbuys-innovation",
        "name": {"fr": "Nido – GovBuys Innovation", "en": "Nido – GovBuys Innovation"},
        "tagline": {
            "fr": "Une place de marché pour des achats publics innovants au niveau fédéral belge",
            "en": "A marketplace for innovative public purchasing in the Belgian federal government",
        },
        "about": {
            "fr": (
                "Le laboratoire d’innovation Nido du gouvernement fédéral belge a lancé GovBuys Innovation "
                "pour moderniser les achats publics : tester de nouvelles solutions avec des budgets "
                "limités avant de grands investissements, ouvrir le dialogue entre administrations et "
                "entreprises innovantes, et outiller les fonctionnaires avec des procédures agiles et des "
                "modèles. Exemple : le numéro d’urgence 112 veut prioriser les appels selon leur gravité."
            ),
            "en": (
                "The Belgian federal government's Nido innovation lab launched GovBuys Innovation to "
                "modernise public purchasing: test new solutions with limited budgets before major "
                "investments, open a dialogue between administrations and innovative companies, and give "
                "civil servants agile procedures and templates. Example: the 112 emergency number wants "
                "to prioritise calls by severity."
            ),
        },
        "primary_colour": "#7f1d1d",
        "languages": ["fr", "en"],
        "country": "BE",
        "jurisdiction": "Belgium, federal government (FPS Policy and Support)",
        "currency": "EUR",
        "time_zone": "Europe/Brussels",
        "contact_email": "nido@bosa.example",
    },
    {
        "slug": "partnership-for-change",
        "name": {"en": "Partnership for Change"},
        "tagline": {"en": "Exchanges between public and private sector employees since 2015"},
        "about": {
            "en": (
                "Slovenia's Partnership for Change, started in 2015, exchanges employees between the public "
                "and private sectors to break stereotypes about how things are done on the other side. "
                "Exchanges last up to five days and start from a short motivation letter. More than 300 "
                "employees have taken part, and yearly challenge contests have produced ideas such as "
                "e-invoices in schools and kindergartens, an e-taxes business application and better "
                "matching of students' skills with the labour market."
            ),
        },
        "primary_colour": "#1e3a8a",
        "languages": ["en"],
        "country": "SI",
        "jurisdiction": "Slovenia, public administration and partner companies",
        "currency": "EUR",
        "time_zone": "Europe/Ljubljana",
        "contact_email": "partnership@gov.example",
    },
    {
        "slug": "acclab-paraguay",
        "name": {
            "es": "Laboratorio de Aceleración del PNUD Paraguay",
            "en": "UNDP Accelerator Lab Paraguay",
        },
        "tagline": {
            "es": "Capacidades para la innovación en el sector público",
            "en": "Capacities for innovation in the public sector",
        },
        "about": {
            "es": (
                "El Laboratorio de Aceleración del PNUD en Paraguay trabaja con la Estrategia Nacional de "
                "Innovación (ENI) y el CONACYT para fortalecer las capacidades de innovación del sector "
                "público en el diseño de políticas y en la prestación de servicios: mentorías, "
                "bootcamps de innovación y pilotos evaluados, como “Alimentos para Todos” en San Juan "
                "Nepomuceno y “Producción Flexible” con talleres de confección."
            ),
            "en": (
                "The UNDP Accelerator Lab in Paraguay works with the National Innovation Strategy (ENI) "
                "and CONACYT to strengthen the public sector's capacity to innovate in policy design and "
                "service delivery: mentoring, innovation bootcamps and evaluated pilots such as “Food for "
                "All” in San Juan Nepomuceno and “Flexible Production” with garment workshops."
            ),
        },
        "primary_colour": "#075985",
        "languages": ["es", "en"],
        "country": "PY",
        "jurisdiction": "Paraguay, national (UNDP country office)",
        "currency": "PYG",
        "time_zone": "America/Asuncion",
        "contact_email": "acclab.py@undp.example",
    },
]

# --- Organisations ------------------------------------------------------------------------------------
# Each: slug, name, kind, country, labs, and optionally region, size, founded_year, description
# (translated), sectors / technologies / sdgs (taxonomy codes).


def _d(**texts: str) -> dict[str, str]:
    return texts


PUBLIC_ENTITIES: list[dict] = [
    # MiLAB, Colombia
    {
        "slug": "invima",
        "name": "INVIMA – Instituto Nacional de Vigilancia de Medicamentos y Alimentos",
        "country": "CO",
        "region": "Bogotá D.C.",
        "labs": ["milab"],
        "sectors": ["health", "pharmaceuticals"],
        "sdgs": ["sdg-03", "sdg-16"],
        "description": _d(
            es="Autoridad sanitaria nacional que vigila medicamentos, alimentos y productos de cannabis.",
            en="The national health authority that oversees medicines, food and cannabis products.",
        ),
    },
    {
        "slug": "minjusticia",
        "name": "Ministerio de Justicia y del Derecho",
        "country": "CO",
        "region": "Bogotá D.C.",
        "labs": ["milab"],
        "sectors": ["justice"],
        "sdgs": ["sdg-16"],
        "description": _d(
            es="Ministerio responsable de la política de justicia y de las licencias de cannabis.",
            en="The ministry responsible for justice policy and cannabis licensing.",
        ),
    },
    {
        "slug": "sic",
        "name": "Superintendencia de Industria y Comercio",
        "country": "CO",
        "region": "Bogotá D.C.",
        "labs": ["milab"],
        "sectors": ["industry", "pharmaceuticals"],
        "sdgs": ["sdg-03", "sdg-12"],
        "description": _d(
            es=(
                "Autoridad de protección al consumidor y de la competencia, que vigila los precios de "
                "medicamentos."
            ),
            en="The consumer-protection and competition authority, which monitors medicine prices.",
        ),
    },
    {
        "slug": "fondo-nacional-del-ahorro",
        "name": "Fondo Nacional del Ahorro",
        "country": "CO",
        "region": "Bogotá D.C.",
        "labs": ["milab"],
        "sectors": ["financial-services", "housing-urban-planning"],
        "sdgs": ["sdg-01", "sdg-11"],
        "description": _d(
            es="Entidad financiera del Estado que ofrece ahorro y crédito para vivienda y educación.",
            en="The state savings fund that offers savings and credit for housing and education.",
        ),
    },
    # GovTech Lab Luxembourg
    {
        "slug": "ministry-for-digitalisation-lu",
        "name": "Ministère de la Digitalisation",
        "country": "LU",
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "sdgs": ["sdg-09", "sdg-16"],
        "description": _d(
            fr="Ministère chargé de la transformation numérique de l’État et des démarches en ligne.",
            en="The ministry in charge of the State's digital transformation and online procedures.",
        ),
    },
    {
        "slug": "ctie",
        "name": "CTIE – Centre des technologies de l’information de l’État",
        "country": "LU",
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "sdgs": ["sdg-09"],
        "description": _d(
            fr="Le centre informatique de l’État, qui exploite les démarches en ligne de MyGuichet.lu.",
            en="The Government IT Centre, which runs the State's online procedures.",
        ),
    },
    {
        "slug": "ministry-of-state-lu",
        "name": "Ministère d’État",
        "country": "LU",
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["public-administration"],
        "sdgs": ["sdg-16"],
    },
    # Innovationsupphandling Syd, Skåne
    {
        "slug": "tomelilla-kommun",
        "name": "Tomelilla kommun",
        "country": "SE",
        "region": "Skåne",
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration", "education", "social-services"],
        "sdgs": ["sdg-11", "sdg-12"],
        "description": _d(
            sv="Kommunen på Österlen som driver nätverket för innovationsupphandling i Skåne.",
            en="The Österlen municipality that leads the innovation procurement network in Skåne.",
        ),
    },
    {
        "slug": "simrishamns-kommun",
        "name": "Simrishamns kommun",
        "country": "SE",
        "region": "Skåne",
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration", "mobility"],
        "sdgs": ["sdg-11"],
    },
    {
        "slug": "ystads-kommun",
        "name": "Ystads kommun",
        "country": "SE",
        "region": "Skåne",
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration", "energy"],
        "sdgs": ["sdg-07", "sdg-11"],
    },
    {
        "slug": "sjobo-kommun",
        "name": "Sjöbo kommun",
        "country": "SE",
        "region": "Skåne",
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration", "housing-urban-planning"],
        "sdgs": ["sdg-11"],
    },
    # LabX, Portugal
    {
        "slug": "ama",
        "name": "AMA – Agência para a Modernização Administrativa",
        "country": "PT",
        "region": "Lisboa",
        "labs": ["labx"],
        "sectors": ["digital-government", "public-administration"],
        "sdgs": ["sdg-16"],
        "description": _d(
            pt="Agência pública responsável pela modernização administrativa e pelo programa Simplex.",
            en="The public agency for administrative modernisation and the Simplex programme.",
        ),
    },
    {
        "slug": "instituto-da-seguranca-social",
        "name": "Instituto da Segurança Social",
        "country": "PT",
        "labs": ["labx"],
        "sectors": ["social-services"],
        "sdgs": ["sdg-01", "sdg-10"],
    },
    {
        "slug": "direcao-geral-da-educacao",
        "name": "Direção-Geral da Educação",
        "country": "PT",
        "labs": ["labx"],
        "sectors": ["education"],
        "sdgs": ["sdg-04"],
    },
    # GovBuys Innovation, Belgium
    {
        "slug": "fps-bosa",
        "name": "SPF Stratégie et Appui (BOSA)",
        "country": "BE",
        "region": "Bruxelles",
        "labs": ["govbuys-innovation"],
        "sectors": ["public-administration", "public-procurement"],
        "sdgs": ["sdg-16"],
        "description": _d(
            fr="Le service public fédéral qui héberge le laboratoire d’innovation Nido.",
            en="The federal public service that hosts the Nido innovation lab.",
        ),
    },
    {
        "slug": "fps-interior-112",
        "name": "SPF Intérieur – Centres d’appel urgent 112",
        "country": "BE",
        "labs": ["govbuys-innovation"],
        "sectors": ["security-emergency"],
        "sdgs": ["sdg-03", "sdg-11"],
        "description": _d(
            fr="Les centres qui répondent aux appels au 112 et envoient les secours.",
            en="The centres that answer 112 calls and dispatch emergency services.",
        ),
    },
    {
        "slug": "fps-finance-be",
        "name": "SPF Finances",
        "country": "BE",
        "labs": ["govbuys-innovation"],
        "sectors": ["tax", "public-finance"],
        "sdgs": ["sdg-16", "sdg-17"],
    },
    # Partnership for Change, Slovenia
    {
        "slug": "ministry-of-public-administration-si",
        "name": "Ministrstvo za javno upravo",
        "country": "SI",
        "region": "Ljubljana",
        "labs": ["partnership-for-change"],
        "sectors": ["public-administration", "digital-government"],
        "sdgs": ["sdg-16"],
        "description": _d(en="Slovenia's Ministry of Public Administration."),
    },
    {
        "slug": "financna-uprava-rs",
        "name": "Finančna uprava Republike Slovenije",
        "country": "SI",
        "labs": ["partnership-for-change"],
        "sectors": ["tax"],
        "sdgs": ["sdg-16"],
        "description": _d(en="The Financial Administration, owner of the eDavki e-taxes services."),
    },
    {
        "slug": "zavod-za-zaposlovanje-si",
        "name": "Zavod Republike Slovenije za zaposlovanje",
        "country": "SI",
        "labs": ["partnership-for-change"],
        "sectors": ["employment", "education"],
        "sdgs": ["sdg-04", "sdg-08"],
        "description": _d(en="The Employment Service of Slovenia."),
    },
    # UNDP Accelerator Lab Paraguay
    {
        "slug": "conacyt-paraguay",
        "name": "CONACYT – Consejo Nacional de Ciencia y Tecnología",
        "country": "PY",
        "region": "Asunción",
        "labs": ["acclab-paraguay"],
        "sectors": ["science-research"],
        "sdgs": ["sdg-09", "sdg-17"],
        "description": _d(
            es="Financia el Programa de Innovadores Públicos y el programa de Innovación Social.",
            en="Funds the Public Innovators Programme and the Social Innovation programme.",
        ),
    },
    {
        "slug": "unidad-de-gestion-presidencial",
        "name": "Unidad de Gestión de la Presidencia de la República",
        "country": "PY",
        "region": "Asunción",
        "labs": ["acclab-paraguay"],
        "sectors": ["public-administration"],
        "sdgs": ["sdg-16"],
        "description": _d(
            es="Lidera el esfuerzo estratégico de la Estrategia Nacional de Innovación (ENI).",
            en="Leads the strategic effort of the National Innovation Strategy (ENI).",
        ),
    },
    {
        "slug": "ministerio-de-salud-py",
        "name": "Ministerio de Salud Pública y Bienestar Social",
        "country": "PY",
        "labs": ["acclab-paraguay"],
        "sectors": ["health"],
        "sdgs": ["sdg-03"],
        "description": _d(
            es="Responsable de las Unidades de Salud de la Familia (USF) en zonas rurales y urbanas.",
            en="Runs the Family Health Units (USF) in rural and urban areas.",
        ),
    },
    {
        "slug": "municipalidad-san-juan-nepomuceno",
        "name": "Municipalidad de San Juan Nepomuceno",
        "country": "PY",
        "region": "Caazapá",
        "labs": ["acclab-paraguay"],
        "sectors": ["agriculture", "social-services"],
        "sdgs": ["sdg-02", "sdg-05"],
    },
]

PARTNERS: list[dict] = [
    {
        "slug": "innpulsa-colombia",
        "name": "iNNpulsa Colombia",
        "kind": "partner",
        "helix_sector": "government",
        "country": "CO",
        "labs": ["milab"],
        "description": _d(
            es="Agencia nacional de emprendimiento e innovación, operadora de MiLAB.",
            en="The national entrepreneurship and innovation agency that operates MiLAB.",
        ),
    },
    {
        "slug": "caf",
        "name": "CAF – Development Bank of Latin America",
        "kind": "partner",
        "country": "VE",
        "labs": ["milab", "acclab-paraguay"],
        "sdgs": ["sdg-17"],
        "description": _d(
            en="Development bank; MiLAB's ally since 2019, funding a second training cohort in Paraguay.",
            es="Banco de desarrollo; aliado de MiLAB desde 2019, financia una segunda cohorte en Paraguay.",
        ),
    },
    {
        "slug": "onesmart-technology",
        "name": "OneSmart Technology",
        "kind": "partner",
        "helix_sector": "business",
        "country": "CO",
        "labs": ["milab"],
        "description": _d(en="Ally that contributed in-kind resources to MiLAB's method."),
    },
    {
        "slug": "undp",
        "name": "UNDP – United Nations Development Programme",
        "kind": "partner",
        "country": "PY",
        "labs": ["acclab-paraguay", "milab"],
        "sdgs": ["sdg-17"],
    },
    {
        "slug": "idb",
        "name": "IDB – Inter-American Development Bank",
        "kind": "partner",
        "country": "PY",
        "labs": ["acclab-paraguay"],
        "sdgs": ["sdg-17"],
    },
    {
        "slug": "universidad-nacional-de-asuncion",
        "name": "Universidad Nacional de Asunción",
        "kind": "research",
        "country": "PY",
        "region": "San Lorenzo",
        "labs": ["acclab-paraguay"],
        "sdgs": ["sdg-04"],
        "description": _d(es="Evaluación técnica del Programa de Innovadores Públicos."),
    },
    {
        "slug": "university-of-luxembourg",
        "name": "University of Luxembourg",
        "kind": "research",
        "country": "LU",
        "labs": ["govtech-lab-luxembourg"],
        "sdgs": ["sdg-04", "sdg-09"],
    },
    {
        "slug": "vinnova",
        "name": "Vinnova",
        "kind": "partner",
        "helix_sector": "government",
        "country": "SE",
        "labs": ["innovationsupphandling-syd"],
        "sdgs": ["sdg-09"],
        "description": _d(sv="Sveriges innovationsmyndighet.", en="Sweden's innovation agency."),
    },
    {
        "slug": "lunds-universitet",
        "name": "Lunds universitet",
        "kind": "research",
        "country": "SE",
        "region": "Skåne",
        "labs": ["innovationsupphandling-syd"],
    },
    {
        "slug": "amcham-slovenia",
        "name": "AmCham Slovenia",
        "kind": "partner",
        "helix_sector": "business",
        "country": "SI",
        "labs": ["partnership-for-change"],
        "description": _d(en="Business association that co-founded Partnership for Change in 2015."),
    },
    {
        "slug": "brussels-govtech-incubator",
        "name": "Brussels GovTech Incubator",
        "kind": "incubator",
        "country": "BE",
        "labs": ["govbuys-innovation"],
        "description": _d(
            fr="Incubateur (fictif) qui accompagne les jeunes entreprises vers les marchés publics.",
            en="A (fictional) incubator that coaches young companies towards public buyers.",
        ),
    },
    {
        "slug": "lisbon-civic-incubator",
        "name": "Incubadora Cívica de Lisboa",
        "kind": "incubator",
        "country": "PT",
        "labs": ["labx"],
        "description": _d(pt="Incubadora (fictícia) de projetos de tecnologia cívica."),
    },
]

# Fictional solvers: (slug, name, kind, country, region, size, founded, labs, sectors, technologies, sdgs,
# description in English and the lab's main language).
SOLVERS: list[dict] = [
    # Colombia
    {
        "slug": "kuntur-analytics",
        "name": "Kuntur Analytics",
        "kind": "startup",
        "country": "CO",
        "region": "Medellín",
        "size": "small",
        "founded_year": 2018,
        "labs": ["milab"],
        "sectors": ["health", "pharmaceuticals"],
        "technologies": ["ocr-icr", "rpa", "data-analytics"],
        "sdgs": ["sdg-03", "sdg-09"],
        "description": _d(
            es="Automatiza la lectura de facturas y recetas médicas con OCR, ICR y RPA.",
            en="Automates reading medical invoices and prescriptions with OCR, ICR and RPA.",
        ),
    },
    {
        "slug": "firmaya",
        "name": "FirmaYa",
        "kind": "startup",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "micro",
        "founded_year": 2020,
        "labs": ["milab"],
        "sectors": ["justice", "digital-government"],
        "technologies": ["digital-identity", "blockchain"],
        "sdgs": ["sdg-16"],
        "description": _d(
            es="Firma electrónica y trazabilidad de trámites con registros distribuidos.",
            en="E-signature and traceable procedures on distributed ledgers.",
        ),
    },
    {
        "slug": "sentimetria",
        "name": "Sentimetría",
        "kind": "startup",
        "country": "CO",
        "region": "Cali",
        "size": "micro",
        "founded_year": 2019,
        "labs": ["milab"],
        "sectors": ["financial-services", "social-services"],
        "technologies": ["ai-ml", "nlp"],
        "sdgs": ["sdg-08", "sdg-10"],
        "description": _d(
            es="Analiza emociones en conversaciones de servicio al cliente con aprendizaje automático.",
            en="Analyses emotions in customer-service conversations with machine learning.",
        ),
    },
    {
        "slug": "datacanto",
        "name": "Datacanto SAS",
        "kind": "sme",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "medium",
        "founded_year": 2012,
        "labs": ["milab"],
        "sectors": ["public-finance", "digital-government"],
        "technologies": ["data-analytics", "cloud", "interoperability"],
        "sdgs": ["sdg-16", "sdg-17"],
        "description": _d(
            es="Integración de datos e interoperabilidad para entidades públicas.",
            en="Data integration and interoperability for public entities.",
        ),
    },
    {
        "slug": "telesalud-andina",
        "name": "Telesalud Andina",
        "kind": "startup",
        "country": "CO",
        "region": "Bucaramanga",
        "size": "small",
        "founded_year": 2017,
        "labs": ["milab"],
        "sectors": ["health"],
        "technologies": ["telehealth", "mobile"],
        "sdgs": ["sdg-03"],
        "description": _d(
            es="Plataforma de teleconsulta para zonas rurales.",
            en="Teleconsultation platform for rural areas.",
        ),
    },
    {
        "slug": "cannatrace",
        "name": "CannaTrace",
        "kind": "startup",
        "country": "CO",
        "region": "Pereira",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["milab"],
        "sectors": ["agriculture", "justice"],
        "technologies": ["blockchain", "iot"],
        "sdgs": ["sdg-12", "sdg-16"],
        "description": _d(
            es="Trazabilidad del cultivo a la licencia para la industria del cannabis medicinal.",
            en="Seed-to-licence traceability for the medical cannabis industry.",
        ),
    },
    {
        "slug": "grupo-vision-uniandina",
        "name": "Grupo de Visión Artificial Uniandino",
        "kind": "research",
        "country": "CO",
        "region": "Bogotá D.C.",
        "labs": ["milab"],
        "sectors": ["science-research"],
        "technologies": ["computer-vision", "ai-ml"],
        "sdgs": ["sdg-09"],
        "description": _d(
            es="Grupo universitario (ficticio) de visión por computador.",
            en="A (fictional) university computer-vision research group.",
        ),
    },
    {
        "slug": "robotica-llanera",
        "name": "Robótica Llanera",
        "kind": "startup",
        "country": "CO",
        "region": "Villavicencio",
        "size": "micro",
        "founded_year": 2022,
        "labs": ["milab"],
        "sectors": ["public-administration"],
        "technologies": ["rpa"],
        "sdgs": ["sdg-08"],
        "description": _d(
            es="Bots de automatización de procesos para trámites repetitivos.",
            en="Process automation bots for repetitive procedures.",
        ),
    },
    # Luxembourg
    {
        "slug": "humancheck",
        "name": "HumanCheck S.à r.l.",
        "kind": "startup",
        "country": "LU",
        "region": "Esch-sur-Alzette",
        "size": "micro",
        "founded_year": 2019,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "technologies": ["cybersecurity", "ai-ml"],
        "sdgs": ["sdg-09", "sdg-16"],
        "description": _d(
            fr="Vérification accessible « humain ou robot » sans CAPTCHA visuel.",
            en="Accessible human-or-bot checks without visual CAPTCHAs.",
        ),
    },
    {
        "slug": "moselle-data-labs",
        "name": "Moselle Data Labs",
        "kind": "sme",
        "country": "LU",
        "region": "Luxembourg",
        "size": "small",
        "founded_year": 2014,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["public-finance"],
        "technologies": ["data-analytics", "cloud"],
        "sdgs": ["sdg-09"],
        "description": _d(
            fr="Tableaux de bord et science des données pour les administrations.",
            en="Dashboards and data science for administrations.",
        ),
    },
    {
        "slug": "formulaire-intelligent",
        "name": "Formulaire Intelligent",
        "kind": "startup",
        "country": "LU",
        "region": "Differdange",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "technologies": ["nlp", "service-design"],
        "sdgs": ["sdg-16"],
        "description": _d(
            fr="Formulaires en ligne qui se remplissent en langage courant.",
            en="Online forms you fill in with plain language.",
        ),
    },
    {
        "slug": "lis-research-group",
        "name": "Interdisciplinary Security Research Group",
        "kind": "research",
        "country": "LU",
        "region": "Kirchberg",
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["science-research"],
        "technologies": ["cybersecurity"],
        "sdgs": ["sdg-09"],
        "description": _d(en="A (fictional) academic group on usable security."),
    },
    {
        "slug": "greenledger-lu",
        "name": "GreenLedger",
        "kind": "startup",
        "country": "LU",
        "size": "micro",
        "founded_year": 2023,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["environment"],
        "technologies": ["blockchain", "energy-tech"],
        "sdgs": ["sdg-13"],
        "description": _d(en="Verifiable carbon accounting for public buildings."),
    },
    # Sweden
    {
        "slug": "golvsmart",
        "name": "Golvsmart AB",
        "kind": "startup",
        "country": "SE",
        "region": "Malmö",
        "size": "micro",
        "founded_year": 2019,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["education"],
        "technologies": ["iot"],
        "sdgs": ["sdg-03", "sdg-04"],
        "description": _d(
            sv="Sensorer och entrémattor som håller skolgolv rena och torra.",
            en="Sensors and entrance systems that keep school floors clean and dry.",
        ),
    },
    {
        "slug": "delabanken",
        "name": "Delabanken AB",
        "kind": "startup",
        "country": "SE",
        "region": "Lund",
        "size": "small",
        "founded_year": 2018,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration"],
        "technologies": ["mobile", "cloud"],
        "sdgs": ["sdg-12"],
        "description": _d(
            sv="Plattform för att låna, byta och sälja resurser mellan kommuner.",
            en="A platform to lend, swap and sell resources between municipalities.",
        ),
    },
    {
        "slug": "lokalnyttan",
        "name": "Lokalnyttan",
        "kind": "startup",
        "country": "SE",
        "region": "Ystad",
        "size": "micro",
        "founded_year": 2020,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["housing-urban-planning", "culture"],
        "technologies": ["mobile"],
        "sdgs": ["sdg-11"],
        "description": _d(
            sv="Bokning av samutnyttjade lokaler för föreningar och skolor.",
            en="Booking of shared premises for associations and schools.",
        ),
    },
    {
        "slug": "overskottsvarme",
        "name": "Överskottsvärme Syd AB",
        "kind": "sme",
        "country": "SE",
        "region": "Trelleborg",
        "size": "small",
        "founded_year": 2011,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["energy", "industry"],
        "technologies": ["energy-tech", "iot"],
        "sdgs": ["sdg-07", "sdg-13"],
        "description": _d(
            sv="Affärsmodeller för att ta vara på överskottsenergi i industriområden.",
            en="Business models for recovering surplus energy in industrial areas.",
        ),
    },
    {
        "slug": "stadsbild-ar",
        "name": "Stadsbild AR",
        "kind": "startup",
        "country": "SE",
        "region": "Helsingborg",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["housing-urban-planning"],
        "technologies": ["ar-vr", "gis"],
        "sdgs": ["sdg-11"],
        "description": _d(
            sv="Förstärkt verklighet i stadsplanering och samråd.",
            en="Augmented reality for city planning and consultations.",
        ),
    },
    {
        "slug": "sprintverket",
        "name": "Sprintverket",
        "kind": "sme",
        "country": "SE",
        "region": "Malmö",
        "size": "small",
        "founded_year": 2015,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["public-administration"],
        "technologies": ["service-design"],
        "sdgs": ["sdg-16"],
        "description": _d(
            sv="Designsprintar med tjänstepersoner och leverantörer.",
            en="Design sprints with civil servants and suppliers.",
        ),
    },
    {
        "slug": "samakning-osterlen",
        "name": "Samåkning Österlen",
        "kind": "startup",
        "country": "SE",
        "region": "Simrishamn",
        "size": "micro",
        "founded_year": 2022,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["mobility", "social-services"],
        "technologies": ["mobile", "ai-ml"],
        "sdgs": ["sdg-11", "sdg-10"],
        "description": _d(
            sv="Delningstjänst för lokala transporter, boende och LSS.",
            en="A sharing service for local transport, housing and disability support.",
        ),
    },
    # Portugal
    {
        "slug": "luto-digital",
        "name": "Apoio no Luto Digital",
        "kind": "startup",
        "country": "PT",
        "region": "Lisboa",
        "size": "micro",
        "founded_year": 2020,
        "labs": ["labx"],
        "sectors": ["social-services"],
        "technologies": ["service-design", "mobile"],
        "sdgs": ["sdg-10"],
        "description": _d(
            pt="Um só ponto de contacto para as formalidades após um falecimento.",
            en="One point of contact for the formalities after a death.",
        ),
    },
    {
        "slug": "civica-gamificada",
        "name": "Cívica Gamificada",
        "kind": "startup",
        "country": "PT",
        "region": "Porto",
        "size": "small",
        "founded_year": 2017,
        "labs": ["labx"],
        "sectors": ["education"],
        "technologies": ["mobile", "open-source"],
        "sdgs": ["sdg-04"],
        "description": _d(
            pt="Jogos de educação para a cidadania usados em escolas.",
            en="Citizenship-education games used in schools.",
        ),
    },
    {
        "slug": "simples-ja",
        "name": "Simples Já",
        "kind": "sme",
        "country": "PT",
        "region": "Braga",
        "size": "medium",
        "founded_year": 2009,
        "labs": ["labx"],
        "sectors": ["digital-government"],
        "technologies": ["interoperability", "cloud"],
        "sdgs": ["sdg-16"],
        "description": _d(
            pt="Integração de serviços públicos por eventos de vida.",
            en="Joining up public services around life events.",
        ),
    },
    {
        "slug": "nova-ux-lab",
        "name": "Laboratório de Experiência do Utilizador",
        "kind": "research",
        "country": "PT",
        "region": "Coimbra",
        "labs": ["labx"],
        "sectors": ["science-research"],
        "technologies": ["service-design"],
        "sdgs": ["sdg-09"],
        "description": _d(pt="Grupo de investigação (fictício) em experiência do utilizador."),
    },
    {
        "slug": "maos-a-obra",
        "name": "Mãos à Obra",
        "kind": "ngo",
        "country": "PT",
        "region": "Setúbal",
        "labs": ["labx"],
        "sectors": ["social-services", "employment"],
        "technologies": [],
        "sdgs": ["sdg-08", "sdg-10"],
        "description": _d(pt="Associação que acompanha jovens aos 18 anos na vida adulta."),
    },
    # Belgium
    {
        "slug": "triage-112",
        "name": "Triage112",
        "kind": "startup",
        "country": "BE",
        "region": "Gent",
        "size": "small",
        "founded_year": 2018,
        "labs": ["govbuys-innovation"],
        "sectors": ["security-emergency", "health"],
        "technologies": ["ai-ml", "nlp"],
        "sdgs": ["sdg-03"],
        "description": _d(
            fr="Priorise les appels d’urgence selon la gravité grâce à l’analyse de la voix.",
            en="Prioritises emergency calls by severity with voice analysis.",
        ),
    },
    {
        "slug": "marchesimple",
        "name": "MarchéSimple",
        "kind": "startup",
        "country": "BE",
        "region": "Liège",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["govbuys-innovation"],
        "sectors": ["public-procurement"],
        "technologies": ["nlp", "open-source"],
        "sdgs": ["sdg-16"],
        "description": _d(
            fr="Rédaction assistée de cahiers des charges orientés problème.",
            en="Assisted drafting of problem-based tender documents.",
        ),
    },
    {
        "slug": "geoalert-be",
        "name": "GeoAlert",
        "kind": "sme",
        "country": "BE",
        "region": "Namur",
        "size": "small",
        "founded_year": 2013,
        "labs": ["govbuys-innovation"],
        "sectors": ["security-emergency"],
        "technologies": ["gis", "drones"],
        "sdgs": ["sdg-11", "sdg-13"],
        "description": _d(
            fr="Cartographie de crise et drones pour les services de secours.",
            en="Crisis mapping and drones for emergency services.",
        ),
    },
    {
        "slug": "taxbot-be",
        "name": "TaxBot",
        "kind": "startup",
        "country": "BE",
        "region": "Bruxelles",
        "size": "micro",
        "founded_year": 2022,
        "labs": ["govbuys-innovation"],
        "sectors": ["tax"],
        "technologies": ["nlp"],
        "sdgs": ["sdg-16"],
        "description": _d(
            fr="Assistant conversationnel pour les questions fiscales des citoyens.",
            en="A chatbot for citizens' tax questions.",
        ),
    },
    {
        "slug": "kul-speech-group",
        "name": "Speech and Emergency Research Group",
        "kind": "research",
        "country": "BE",
        "region": "Leuven",
        "labs": ["govbuys-innovation"],
        "sectors": ["science-research", "security-emergency"],
        "technologies": ["nlp", "ai-ml"],
        "sdgs": ["sdg-09"],
        "description": _d(en="A (fictional) university group on speech recognition under stress."),
    },
    # Slovenia
    {
        "slug": "eracun-solutions",
        "name": "eRačun Solutions d.o.o.",
        "kind": "sme",
        "country": "SI",
        "region": "Maribor",
        "size": "small",
        "founded_year": 2010,
        "labs": ["partnership-for-change"],
        "sectors": ["public-finance", "education"],
        "technologies": ["interoperability", "cloud"],
        "sdgs": ["sdg-12", "sdg-16"],
        "description": _d(en="E-invoicing for schools and kindergartens."),
    },
    {
        "slug": "davkoapp",
        "name": "DavkoApp",
        "kind": "startup",
        "country": "SI",
        "region": "Ljubljana",
        "size": "micro",
        "founded_year": 2019,
        "labs": ["partnership-for-change"],
        "sectors": ["tax"],
        "technologies": ["mobile", "service-design"],
        "sdgs": ["sdg-16"],
        "description": _d(en="A business app designed at an e-taxes hackathon."),
    },
    {
        "slug": "skillsbridge-si",
        "name": "SkillsBridge",
        "kind": "startup",
        "country": "SI",
        "region": "Koper",
        "size": "micro",
        "founded_year": 2020,
        "labs": ["partnership-for-change"],
        "sectors": ["employment", "education"],
        "technologies": ["ai-ml", "data-analytics"],
        "sdgs": ["sdg-04", "sdg-08"],
        "description": _d(en="Matches students' skills with labour-market needs."),
    },
    {
        "slug": "alpine-cloud",
        "name": "Alpine Cloud d.o.o.",
        "kind": "large_company",
        "country": "SI",
        "region": "Ljubljana",
        "size": "large",
        "founded_year": 1998,
        "labs": ["partnership-for-change"],
        "sectors": ["telecommunications"],
        "technologies": ["cloud", "cybersecurity"],
        "sdgs": ["sdg-09"],
        "description": _d(en="IT services company hosting exchange participants from ministries."),
    },
    # Paraguay
    {
        "slug": "feria-conectada",
        "name": "Feria Conectada",
        "kind": "startup",
        "country": "PY",
        "region": "Caazapá",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["acclab-paraguay"],
        "sectors": ["agriculture"],
        "technologies": ["mobile", "fintech"],
        "sdgs": ["sdg-02", "sdg-05"],
        "description": _d(
            es="Pedidos y pagos móviles para ferias agrícolas lideradas por mujeres.",
            en="Mobile orders and payments for women-led farmers' markets.",
        ),
    },
    {
        "slug": "confeccion-flexible",
        "name": "Red de Confección Flexible",
        "kind": "citizen_group",
        "country": "PY",
        "region": "Itauguá",
        "labs": ["acclab-paraguay"],
        "sectors": ["industry", "employment"],
        "technologies": [],
        "sdgs": ["sdg-08", "sdg-09"],
        "description": _d(
            es="Talleres de confección que coordinan su producción.",
            en="Garment workshops that coordinate their production.",
        ),
    },
    {
        "slug": "salud-mapa",
        "name": "SaludMapa",
        "kind": "startup",
        "country": "PY",
        "region": "Asunción",
        "size": "micro",
        "founded_year": 2020,
        "labs": ["acclab-paraguay"],
        "sectors": ["health"],
        "technologies": ["gis", "data-analytics"],
        "sdgs": ["sdg-03"],
        "description": _d(
            es="Mapas de desempeño de las Unidades de Salud de la Familia.",
            en="Performance maps of the Family Health Units.",
        ),
    },
    {
        "slug": "guarani-nlp",
        "name": "Ñe'ẽ Tech",
        "kind": "startup",
        "country": "PY",
        "region": "Encarnación",
        "size": "micro",
        "founded_year": 2022,
        "labs": ["acclab-paraguay"],
        "sectors": ["digital-government"],
        "technologies": ["nlp"],
        "sdgs": ["sdg-10", "sdg-16"],
        "description": _d(
            es="Asistentes de voz en guaraní y español para trámites públicos.",
            en="Voice assistants in Guaraní and Spanish for public services.",
        ),
    },
    {
        "slug": "innova-py-foundation",
        "name": "Fundación Innova Paraguay",
        "kind": "ngo",
        "country": "PY",
        "region": "Asunción",
        "labs": ["acclab-paraguay"],
        "sectors": ["public-administration"],
        "technologies": ["service-design"],
        "sdgs": ["sdg-16", "sdg-17"],
        "description": _d(
            es="Fundación (ficticia) que forma a innovadores públicos.",
            en="A (fictional) foundation that trains public innovators.",
        ),
    },
    # Working across several labs
    {
        "slug": "openform-labs",
        "name": "OpenForm Labs",
        "kind": "sme",
        "country": "ES",
        "region": "Barcelona",
        "size": "small",
        "founded_year": 2016,
        "labs": ["milab", "labx", "acclab-paraguay"],
        "sectors": ["digital-government"],
        "technologies": ["open-source", "service-design"],
        "sdgs": ["sdg-16"],
        "description": _d(
            en="Open-source digital forms and case management for the public sector.",
            es="Formularios digitales y gestión de expedientes de código abierto para el sector público.",
        ),
    },
    {
        "slug": "civicsense-ai",
        "name": "CivicSense AI",
        "kind": "startup",
        "country": "FR",
        "region": "Lille",
        "size": "small",
        "founded_year": 2019,
        "labs": ["govbuys-innovation", "govtech-lab-luxembourg"],
        "sectors": ["digital-government", "social-services"],
        "technologies": ["ai-ml", "nlp"],
        "sdgs": ["sdg-10", "sdg-16"],
        "description": _d(
            en="Understands citizens' requests and routes them to the right service.",
            fr="Comprend les demandes des citoyens et les oriente vers le bon service.",
        ),
    },
]

# --- People -------------------------------------------------------------------------------------------
# Each: email, full_name, preferred_language, time_zone, superuser?, lab roles [(lab, role)],
# organisation roles [(slug, role, job title)]. Lab managers and staff get TOTP (they must use it).

USERS: list[dict] = [
    {"email": ADMIN_EMAIL, "full_name": "Ana Admin", "language": "en", "time_zone": "UTC", "superuser": True},
    {
        "email": "manager@milab.example",
        "full_name": "Camila Rojas",
        "language": "es",
        "time_zone": "America/Bogota",
        "labs": [("milab", "manager")],
    },
    {
        "email": "staff@milab.example",
        "full_name": "Andrés Gómez",
        "language": "es",
        "time_zone": "America/Bogota",
        "labs": [("milab", "staff")],
    },
    {
        "email": "evaluator@milab.example",
        "full_name": "Luisa Fernanda Ortiz",
        "language": "es",
        "time_zone": "America/Bogota",
        "labs": [("milab", "evaluator")],
    },
    {
        "email": "mentor@milab.example",
        "full_name": "Jorge Restrepo",
        "language": "es",
        "time_zone": "America/Bogota",
        "labs": [("milab", "mentor")],
    },
    {
        "email": "entity@milab.example",
        "full_name": "Diana Martínez",
        "language": "es",
        "time_zone": "America/Bogota",
        "organisations": [("invima", "admin", "Jefe de la Oficina de Tecnologías de la Información")],
    },
    {
        "email": "founder@milab.example",
        "full_name": "Santiago Herrera",
        "language": "es",
        "time_zone": "America/Bogota",
        "organisations": [("kuntur-analytics", "admin", "CEO y cofundador")],
    },
    {
        "email": "manager@govtech-lab-luxembourg.example",
        "full_name": "Claire Weber",
        "language": "fr",
        "time_zone": "Europe/Luxembourg",
        "labs": [("govtech-lab-luxembourg", "manager")],
    },
    {
        "email": "manager@innovationsupphandling-syd.example",
        "full_name": "Karin Lindqvist",
        "language": "sv",
        "time_zone": "Europe/Stockholm",
        "labs": [("innovationsupphandling-syd", "manager")],
    },
    {
        "email": "manager@labx.example",
        "full_name": "Inês Carvalho",
        "language": "pt",
        "time_zone": "Europe/Lisbon",
        "labs": [("labx", "manager")],
    },
    {
        "email": "manager@govbuys-innovation.example",
        "full_name": "Sophie Dubois",
        "language": "fr",
        "time_zone": "Europe/Brussels",
        "labs": [("govbuys-innovation", "manager")],
    },
    {
        "email": "manager@partnership-for-change.example",
        "full_name": "Maja Kovač",
        "language": "en",
        "time_zone": "Europe/Ljubljana",
        "labs": [("partnership-for-change", "manager")],
    },
    {
        "email": "manager@acclab-paraguay.example",
        "full_name": "Lucía Benítez",
        "language": "es",
        "time_zone": "America/Asuncion",
        "labs": [("acclab-paraguay", "manager")],
    },
]
