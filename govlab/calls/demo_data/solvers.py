"""The demo's solver organisations and their applications to the calls (calls.py).

``PROFILES`` completes the solver profile (main solution, TRL, interests, founding year) of the solvers
govlab/demo/data.py already creates; ``NEW_SOLVERS`` adds the kinds the seeds name that were missing (a
student team, freelancers, researchers, an NGO, more start-ups and SMEs). Each applying organisation has a
contact person (``CONTACTS``; Kuntur Analytics is the demo founder's, founder@milab.example).

``APPLICATIONS``: one per organisation and challenge. ``status`` is ``submitted`` (through the submit
service, so it has a revision and a receipt) or ``draft``. ``hours`` is when the submission arrived:
hours before the deadline for a closed call, hours before the demo was loaded for the open one. Date
answers are given in days after the call's deadline. All names are fictional.
"""

from __future__ import annotations

from .calls import (
    CANNABIS,
    COMPLAINTS,
    EMOTIONS,
    FLOORS,
    HOUSING_CREDIT,
    ONLINE_SALES,
    RECEIPTS,
    ROBOTS,
    SHARING,
)


def _t(**texts: str) -> dict:
    return texts


# slug -> profile fields for solvers that govlab/demo/data.py creates.
PROFILES: dict[str, dict] = {
    "kuntur-analytics": {
        "main_solution": _t(
            es="Kuntur Lee: lectura automática de facturas, fórmulas y expedientes con OCR, ICR y RPA.",
            en="Kuntur Lee: automatic reading of invoices, prescriptions and files with OCR, ICR and RPA.",
        ),
        "trl": 7,
        "interests": _t(
            es="Retos de salud y de trámites con documentos; compras públicas de innovación.",
            en="Health and paperwork challenges; public procurement of innovation.",
        ),
    },
    "firmaya": {
        "main_solution": _t(
            es="Firma electrónica avanzada y sello de tiempo para trámites públicos.",
            en="Advanced e-signature and time stamping for public procedures.",
        ),
        "trl": 8,
        "interests": _t(
            es="Justicia, trámites y gobierno digital.", en="Justice, procedures, digital government."
        ),
    },
    "sentimetria": {
        "main_solution": _t(
            es="Sentimetría Pulse: analítica de emociones en chats y llamadas de servicio.",
            en="Sentimetría Pulse: emotion analytics on service chats and calls.",
        ),
        "trl": 6,
        "interests": _t(
            es="Atención al ciudadano y servicios financieros.", en="Citizen services and finance."
        ),
    },
    "datacanto": {
        "main_solution": _t(
            es="Plataforma de integración de datos entre entidades (X-Road compatible).",
            en="A data integration platform between entities (X-Road compatible).",
        ),
        "trl": 9,
        "interests": _t(es="Interoperabilidad y datos abiertos.", en="Interoperability and open data."),
    },
    "telesalud-andina": {
        "main_solution": _t(
            es="Teleconsulta para zonas rurales con historia clínica interoperable.",
            en="Teleconsultation for rural areas with an interoperable health record.",
        ),
        "trl": 8,
        "interests": _t(es="Salud y telemedicina.", en="Health and telemedicine."),
    },
    "cannatrace": {
        "main_solution": _t(
            es="Trazabilidad de la cadena del cannabis medicinal, de la semilla al producto, en blockchain.",
            en="Traceability of the medicinal cannabis chain, from seed to product, on a blockchain.",
        ),
        "trl": 6,
        "interests": _t(
            es="Regulación del cannabis y agroindustria.", en="Cannabis regulation and agribusiness."
        ),
    },
    "grupo-vision-uniandina": {
        "main_solution": _t(
            es="Modelos de visión por computador para documentos manuscritos y formularios.",
            en="Computer vision models for handwritten documents and forms.",
        ),
        "trl": 4,
        "founded_year": 2009,
        "interests": _t(
            es="Retos con datos reales para investigación aplicada.", en="Challenges with real data."
        ),
    },
    "robotica-llanera": {
        "main_solution": _t(
            es="Robots de software (RPA) a la medida para tareas repetitivas de back-office.",
            en="Tailored software robots (RPA) for repetitive back-office work.",
        ),
        "trl": 7,
        "interests": _t(
            es="Automatización en entidades territoriales.", en="Automation in local government."
        ),
    },
    "humancheck": {
        "main_solution": _t(
            en="HumanCheck: an invisible, privacy-friendly test that tells humans and bots apart.",
            fr=(
                "HumanCheck : un test invisible et respectueux de la vie "
                "privée qui distingue humains et robots."
            ),
        ),
        "trl": 6,
        "interests": _t(en="Cybersecurity and e-government.", fr="Cybersécurité et administration en ligne."),
    },
    "moselle-data-labs": {
        "main_solution": _t(
            en="Analytics and fraud detection on online form traffic.",
            fr="Analyse et détection de fraude sur le trafic des formulaires en ligne.",
        ),
        "trl": 8,
        "interests": _t(en="Data platforms for administrations.", fr="Plateformes de données publiques."),
    },
    "formulaire-intelligent": {
        "main_solution": _t(
            en="Forms that adapt to the user and detect automated filling.",
            fr="Des formulaires qui s'adaptent à l'usager et détectent le remplissage automatique.",
        ),
        "trl": 5,
        "interests": _t(
            en="Service design, forms, accessibility.", fr="Conception de services, accessibilité."
        ),
    },
    "lis-research-group": {
        "main_solution": _t(
            en="Research on behavioural biometrics (typing and pointer dynamics).",
            fr="Recherche en biométrie comportementale (frappe et mouvements du pointeur).",
        ),
        "trl": 4,
        "founded_year": 2015,
        "interests": _t(en="Security research with public partners.", fr="Recherche en sécurité."),
    },
    "golvsmart": {
        "main_solution": _t(
            sv="Sensorförsedda entrémattor som visar när de behöver bytas.",
            en="Sensor-equipped entrance mats that tell when they need changing.",
        ),
        "trl": 7,
        "interests": _t(sv="Skolor, förskolor och fastigheter.", en="Schools, pre-schools and buildings."),
    },
    "delabanken": {
        "main_solution": _t(
            sv="Delabanken: en plattform för att låna och dela saker och lokaler.",
            en="Delabanken: a platform to lend and share things and premises.",
        ),
        "trl": 8,
        "interests": _t(sv="Delningsekonomi i kommuner.", en="Sharing economy in municipalities."),
    },
    "lokalnyttan": {
        "main_solution": _t(
            sv="Bokningsapp för kommunala lokaler och föreningar.",
            en="A booking app for municipal premises and associations.",
        ),
        "trl": 7,
        "interests": _t(sv="Samutnyttjande av lokaler.", en="Shared use of premises."),
    },
    "sprintverket": {
        "main_solution": _t(
            sv="Designsprintar för offentlig sektor, från behov till prototyp på fem dagar.",
            en="Design sprints for the public sector, from need to prototype in five days.",
        ),
        "trl": 9,
        "interests": _t(sv="Tjänsteutveckling i kommuner.", en="Service development in municipalities."),
    },
    "samakning-osterlen": {
        "main_solution": _t(
            sv="Samåkning och samordnade resor för landsbygden.",
            en="Ride sharing and coordinated trips for the countryside.",
        ),
        "trl": 6,
        "interests": _t(sv="Transporter och LSS-resor.", en="Transport and disability trips."),
    },
    "openform-labs": {
        "main_solution": _t(
            es="Formularios públicos de código abierto con validación y firma.",
            en="Open-source public forms with validation and signature.",
        ),
        "trl": 8,
        "interests": _t(es="Trámites digitales en Iberoamérica.", en="Digital procedures in Ibero-America."),
    },
    "civicsense-ai": {
        "main_solution": _t(
            en="Speech and text analytics for public contact centres.",
            fr="Analyse de la parole et du texte pour les centres de contact publics.",
        ),
        "trl": 7,
        "interests": _t(en="Citizen services, emergency calls.", fr="Accueil des usagers, appels d'urgence."),
    },
}

# New solver organisations (the same shape as govlab/demo/data.py's SOLVERS, plus the profile fields).
NEW_SOLVERS: list[dict] = [
    {
        "slug": "lexia-legaltech",
        "name": "Lexia Legaltech SAS",
        "kind": "startup",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["milab"],
        "sectors": ["justice", "digital-government"],
        "technologies": ["nlp", "ocr-icr"],
        "sdgs": ["sdg-16"],
        "description": _t(
            es="Lee y clasifica documentos jurídicos para acelerar trámites.",
            en="Reads and classifies legal documents to speed up procedures.",
        ),
        "main_solution": _t(
            es="Lexia Expediente: un expediente único que extrae y valida los datos de cada documento.",
            en="Lexia Expediente: a single file that extracts and checks the data of every document.",
        ),
        "trl": 6,
        "interests": _t(es="Justicia y trámites regulados.", en="Justice and regulated procedures."),
    },
    {
        "slug": "valentina-ospina-rpa",
        "name": "Valentina Ospina — automatización",
        "kind": "freelancer",
        "country": "CO",
        "region": "Medellín",
        "size": "micro",
        "founded_year": 2019,
        "labs": ["milab"],
        "sectors": ["public-administration"],
        "technologies": ["rpa", "ocr-icr"],
        "sdgs": ["sdg-09"],
        "description": _t(
            es="Ingeniera independiente: automatización de procesos con RPA y OCR.",
            en="Independent engineer: process automation with RPA and OCR.",
        ),
        "main_solution": _t(
            es="Bots de extracción de facturas listos para UiPath y código abierto.",
            en="Receipt extraction bots ready for UiPath and open source.",
        ),
        "trl": 7,
        "interests": _t(es="Automatización y datos.", en="Automation and data."),
    },
    {
        "slug": "semillero-ia-unal",
        "name": "Semillero de Inteligencia Artificial (estudiantes)",
        "kind": "student_team",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "micro",
        "founded_year": 2023,
        "labs": ["milab"],
        "sectors": ["science-research", "health"],
        "technologies": ["ai-ml", "computer-vision"],
        "sdgs": ["sdg-04", "sdg-09"],
        "description": _t(
            es="Equipo de estudiantes de ingeniería que aplica IA a problemas públicos.",
            en="A team of engineering students applying AI to public problems.",
        ),
        "main_solution": _t(
            es="Un modelo abierto que lee facturas escaneadas de medicamentos.",
            en="An open model that reads scanned medicine receipts.",
        ),
        "trl": 4,
        "interests": _t(es="Retos con datos abiertos.", en="Challenges with open data."),
    },
    {
        "slug": "escucha-activa",
        "name": "Escucha Activa SAS",
        "kind": "startup",
        "country": "CO",
        "region": "Barranquilla",
        "size": "small",
        "founded_year": 2020,
        "labs": ["milab"],
        "sectors": ["financial-services", "social-services"],
        "technologies": ["nlp", "ai-ml"],
        "sdgs": ["sdg-10"],
        "description": _t(
            es="Analítica de voz del cliente para bancos y entidades públicas.",
            en="Voice-of-the-customer analytics for banks and public entities.",
        ),
        "main_solution": _t(
            es="Escucha360: clasifica emociones y motivos en llamadas, chats y PQRS.",
            en="Escucha360: classifies emotions and reasons in calls, chats and complaints.",
        ),
        "trl": 7,
        "interests": _t(es="Experiencia del usuario.", en="User experience."),
    },
    {
        "slug": "lenguaje-pacifico",
        "name": "Laboratorio de Lenguaje Natural del Pacífico",
        "kind": "research",
        "country": "CO",
        "region": "Cali",
        "founded_year": 2014,
        "labs": ["milab"],
        "sectors": ["science-research"],
        "technologies": ["nlp", "ai-ml"],
        "sdgs": ["sdg-09", "sdg-16"],
        "description": _t(
            es="Grupo universitario de investigación en procesamiento del español.",
            en="A university research group on Spanish language processing.",
        ),
        "main_solution": _t(
            es="Modelos de emociones entrenados con español colombiano.",
            en="Emotion models trained on Colombian Spanish.",
        ),
        "trl": 5,
        "interests": _t(es="Investigación aplicada con entidades.", en="Applied research with entities."),
    },
    {
        "slug": "fundacion-datos-abiertos",
        "name": "Fundación Datos Abiertos Colombia",
        "kind": "ngo",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "micro",
        "founded_year": 2016,
        "labs": ["milab"],
        "sectors": ["digital-government"],
        "technologies": ["data-analytics", "open-source"],
        "sdgs": ["sdg-16", "sdg-17"],
        "description": _t(
            es="Promueve la transparencia con datos abiertos y tecnología cívica.",
            en="Promotes transparency with open data and civic technology.",
        ),
        "main_solution": _t(
            es="Tableros abiertos de satisfacción ciudadana.",
            en="Open dashboards of citizen satisfaction.",
        ),
        "trl": 5,
        "interests": _t(es="Transparencia y participación.", en="Transparency and participation."),
    },
    {
        "slug": "team-captchaless",
        "name": "Team CaptchaLess (students, Belval)",
        "kind": "student_team",
        "country": "LU",
        "region": "Esch-sur-Alzette",
        "size": "micro",
        "founded_year": 2024,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "technologies": ["ai-ml", "cybersecurity"],
        "sdgs": ["sdg-09"],
        "description": _t(
            en="Computer science students who want to end visual puzzles on the web.",
            fr="Des étudiants en informatique qui veulent en finir avec les énigmes visuelles sur le web.",
        ),
        "main_solution": _t(
            en="A proof-of-work check that runs in the browser while the user types.",
            fr="Une preuve de travail calculée dans le navigateur pendant que l'usager saisit.",
        ),
        "trl": 3,
        "interests": _t(en="Hackathons and open calls.", fr="Hackathons et appels ouverts."),
    },
    {
        "slug": "marc-feltgen-accessibility",
        "name": "Marc Feltgen — accessibility consulting",
        "kind": "freelancer",
        "country": "LU",
        "region": "Luxembourg",
        "size": "micro",
        "founded_year": 2017,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government"],
        "technologies": ["service-design"],
        "sdgs": ["sdg-10"],
        "description": _t(
            en="Independent accessibility auditor (WCAG, EN 301 549).",
            fr="Auditeur indépendant en accessibilité (WCAG, EN 301 549).",
        ),
        "main_solution": _t(
            en="An accessible fallback for bot checks, tested with screen-reader users.",
            fr=(
                "Une alternative accessible aux contrôles anti-robots, "
                "testée avec des usagers de lecteurs d'écran."
            ),
        ),
        "trl": 6,
        "interests": _t(en="Accessibility of public services.", fr="Accessibilité des services publics."),
    },
    {
        "slug": "trustmark-security",
        "name": "Trustmark Security SA",
        "kind": "sme",
        "country": "BE",
        "region": "Liège",
        "size": "small",
        "founded_year": 2012,
        "labs": ["govtech-lab-luxembourg"],
        "sectors": ["digital-government", "security-emergency"],
        "technologies": ["cybersecurity", "cloud"],
        "sdgs": ["sdg-16"],
        "description": _t(
            en="Bot management and web application firewalls for European administrations.",
            fr="Gestion des robots et pare-feux applicatifs pour les administrations européennes.",
        ),
        "main_solution": _t(
            en="Risk scoring of each request, with no third-party cookies.",
            fr="Un score de risque par requête, sans cookies tiers.",
        ),
        "trl": 9,
        "interests": _t(en="Security of e-government portals.", fr="Sécurité des portails publics."),
    },
    {
        "slug": "entremattan",
        "name": "Entrémattan i Skåne AB",
        "kind": "sme",
        "country": "SE",
        "region": "Malmö",
        "size": "small",
        "founded_year": 2008,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["education", "environment"],
        "technologies": ["iot"],
        "sdgs": ["sdg-03", "sdg-12"],
        "description": _t(
            sv="Entrélösningar för skolor och offentliga byggnader.",
            en="Entrance solutions for schools and public buildings.",
        ),
        "main_solution": _t(
            sv="Trestegs entrézon med galler, borstmatta och absorberande matta.",
            en="A three-step entrance zone: grating, brush mat and absorbent mat.",
        ),
        "trl": 9,
        "interests": _t(sv="Skolmiljö och lokalvård.", en="School environment and cleaning."),
    },
    {
        "slug": "materiallabbet",
        "name": "Materiallabbet, forskargrupp i ytmaterial",
        "kind": "research",
        "country": "SE",
        "region": "Lund",
        "founded_year": 2011,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["science-research", "education"],
        "technologies": ["iot"],
        "sdgs": ["sdg-09"],
        "description": _t(
            sv="Universitetsforskning om smutsavvisande ytor.",
            en="University research on dirt-repellent surfaces.",
        ),
        "main_solution": _t(
            sv="En smutsavvisande golvbeläggning som testats i labbmiljö.",
            en="A dirt-repellent floor coating tested in the lab.",
        ),
        "trl": 4,
        "interests": _t(sv="Pilotplatser för forskning.", en="Pilot sites for research."),
    },
    {
        "slug": "anna-bergstrom-design",
        "name": "Anna Bergström Tjänstedesign",
        "kind": "freelancer",
        "country": "SE",
        "region": "Ystad",
        "size": "micro",
        "founded_year": 2018,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["education", "public-administration"],
        "technologies": ["service-design"],
        "sdgs": ["sdg-11"],
        "description": _t(
            sv="Tjänstedesigner som arbetar med kommuner i Skåne.",
            en="A service designer working with Skåne's municipalities.",
        ),
        "main_solution": _t(
            sv="Rutiner och skyltning som får barn och föräldrar att ta av skorna vid dörren.",
            en="Routines and signs that get children and parents to take their shoes off at the door.",
        ),
        "trl": 6,
        "interests": _t(sv="Beteendedesign.", en="Behavioural design."),
    },
    {
        "slug": "delningsforeningen",
        "name": "Delningsföreningen Skåne",
        "kind": "ngo",
        "country": "SE",
        "region": "Ystad",
        "size": "micro",
        "founded_year": 2016,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["environment", "social-services"],
        "technologies": ["mobile"],
        "sdgs": ["sdg-11", "sdg-12"],
        "description": _t(
            sv="Ideell förening som driver fritidsbanker och bytardagar.",
            en="A non-profit running leisure-equipment libraries and swap days.",
        ),
        "main_solution": _t(
            sv="Ett nätverk av utlåningsställen med gemensam katalog.",
            en="A network of lending points with a shared catalogue.",
        ),
        "trl": 6,
        "interests": _t(sv="Cirkulär ekonomi.", en="Circular economy."),
    },
    {
        "slug": "studentteam-cirkular",
        "name": "Cirkulära studenter (studentteam)",
        "kind": "student_team",
        "country": "SE",
        "region": "Malmö",
        "size": "micro",
        "founded_year": 2025,
        "labs": ["innovationsupphandling-syd"],
        "sectors": ["environment"],
        "technologies": ["mobile", "open-source"],
        "sdgs": ["sdg-12"],
        "description": _t(
            sv="Studenter i interaktionsdesign som bygger tjänster för återbruk.",
            en="Interaction design students building services for reuse.",
        ),
        "main_solution": _t(
            sv="En prototyp för att annonsera överblivna möbler mellan förvaltningar.",
            en="A prototype to list surplus furniture between departments.",
        ),
        "trl": 3,
        "interests": _t(sv="Återbruk och öppen källkod.", en="Reuse and open source."),
    },
    # The 2025 cohort's new Colombian start-ups (fictional).
    {
        "slug": "rastro-digital",
        "name": "Rastro Digital SAS",
        "kind": "startup",
        "country": "CO",
        "region": "Medellín",
        "size": "micro",
        "founded_year": 2021,
        "labs": ["milab"],
        "sectors": ["pharmaceuticals", "security-emergency"],
        "technologies": ["ai-ml", "computer-vision", "data-analytics"],
        "sdgs": ["sdg-03", "sdg-16"],
        "description": _t(
            es="Monitorea la web y las redes sociales para encontrar productos ilegales y fraudes.",
            en="Monitors the web and social networks to find illegal products and fraud.",
        ),
        "main_solution": _t(
            es="Rastro Salud: encuentra anuncios de medicamentos ilegales y arma la evidencia para actuar.",
            en="Rastro Salud: finds adverts for illegal medicines and gathers the evidence to act on.",
        ),
        "trl": 6,
        "interests": _t(
            es="Vigilancia sanitaria y protección del consumidor.",
            en="Health surveillance and consumer protection.",
        ),
    },
    {
        "slug": "nido-fintech",
        "name": "Nido Fintech SAS",
        "kind": "startup",
        "country": "CO",
        "region": "Bogotá D.C.",
        "size": "small",
        "founded_year": 2020,
        "labs": ["milab"],
        "sectors": ["financial-services", "housing-urban-planning"],
        "technologies": ["fintech", "ai-ml", "data-analytics"],
        "sdgs": ["sdg-01", "sdg-10", "sdg-11"],
        "description": _t(
            es="Crédito de vivienda para quienes la banca no ve: independientes e informales.",
            en="Housing credit for those banks do not see: the self-employed and informal workers.",
        ),
        "main_solution": _t(
            es="Nido Score: puntaje de crédito explicable con datos alternativos autorizados por el usuario.",
            en="Nido Score: an explainable credit score on alternative data the user authorises.",
        ),
        "trl": 7,
        "interests": _t(
            es="Inclusión financiera, vivienda y sandbox regulatorio.",
            en="Financial inclusion, housing and regulatory sandboxes.",
        ),
    },
    {
        "slug": "trebol-analitica",
        "name": "Trébol Analítica SAS",
        "kind": "sme",
        "country": "CO",
        "region": "Cali",
        "size": "small",
        "founded_year": 2015,
        "labs": ["milab"],
        "sectors": ["financial-services"],
        "technologies": ["data-analytics", "ai-ml"],
        "sdgs": ["sdg-08", "sdg-10"],
        "description": _t(
            es="Analítica de riesgo para cooperativas y entidades de microcrédito.",
            en="Risk analytics for cooperatives and microcredit institutions.",
        ),
        "main_solution": _t(
            es="Trébol Ingresos: estima los ingresos de trabajadores independientes a partir de sus pagos.",
            en="Trébol Ingresos: estimates the income of self-employed workers from their payments.",
        ),
        "trl": 8,
        "interests": _t(es="Microfinanzas y economía popular.", en="Microfinance and the popular economy."),
    },
]

# The person who applies for each organisation: slug -> (full name, language, job title).
CONTACTS: dict[str, tuple[str, str, str]] = {
    "kuntur-analytics": ("Santiago Herrera", "es", "CEO y cofundador"),  # founder@milab.example
    "firmaya": ("Carolina Mejía", "es", "Gerente general"),
    "sentimetria": ("Daniel Ocampo", "es", "Director de producto"),
    "datacanto": ("Patricia Londoño", "es", "Gerente comercial"),
    "cannatrace": ("Felipe Castaño", "es", "Cofundador"),
    "grupo-vision-uniandina": ("Adriana Pardo", "es", "Profesora asociada"),
    "robotica-llanera": ("Óscar Rey", "es", "Fundador"),
    "openform-labs": ("Pablo Ortega", "es", "Director técnico"),
    "civicsense-ai": ("Élodie Martin", "fr", "CEO"),
    "lexia-legaltech": ("Mariana Cárdenas", "es", "CEO"),
    "valentina-ospina-rpa": ("Valentina Ospina", "es", "Ingeniera independiente"),
    "semillero-ia-unal": ("Tomás Bernal", "es", "Coordinador estudiantil"),
    "escucha-activa": ("Laura Vence", "es", "Cofundadora"),
    "lenguaje-pacifico": ("Hernán Caicedo", "es", "Investigador principal"),
    "fundacion-datos-abiertos": ("Natalia Suárez", "es", "Directora ejecutiva"),
    "rastro-digital": ("Alejandro Quiroga", "es", "CEO y cofundador"),
    "nido-fintech": ("Isabel Cuervo", "es", "Cofundadora y directora de riesgo"),
    "trebol-analitica": ("Mauricio Lozano", "es", "Gerente general"),
    "humancheck": ("Sarah Kieffer", "en", "Co-founder"),
    "moselle-data-labs": ("Paul Reuter", "fr", "Directeur"),
    "formulaire-intelligent": ("Julie Thill", "fr", "Fondatrice"),
    "lis-research-group": ("Dr. Yannick Weis", "en", "Research scientist"),
    "team-captchaless": ("Lena Hoffmann", "en", "Team lead"),
    "marc-feltgen-accessibility": ("Marc Feltgen", "fr", "Consultant"),
    "trustmark-security": ("Nicolas Lejeune", "fr", "Responsable commercial"),
    "golvsmart": ("Erik Nilsson", "sv", "VD"),
    "delabanken": ("Sara Holm", "sv", "Grundare"),
    "lokalnyttan": ("Johan Ek", "sv", "Produktägare"),
    "sprintverket": ("Maria Sjöberg", "sv", "Verksamhetschef"),
    "samakning-osterlen": ("Oskar Lund", "sv", "Grundare"),
    "entremattan": ("Per Andersson", "sv", "Försäljningschef"),
    "materiallabbet": ("Dr. Ingrid Falk", "en", "Forskare"),
    "anna-bergstrom-design": ("Anna Bergström", "sv", "Tjänstedesigner"),
    "delningsforeningen": ("Lars Persson", "sv", "Ordförande"),
    "studentteam-cirkular": ("Amira Hassan", "sv", "Projektledare"),
}
FOUNDER = ("founder@milab.example", "kuntur-analytics")


def _team(*rows: tuple) -> list[dict]:
    team = []
    for row in rows:
        member = {"name": row[0], "role": row[1], "years": str(row[2])}
        if len(row) > 3:
            member["profile"] = row[3]
        team.append(member)
    return team


# --- MiLAB ---------------------------------------------------------------------------------------------

_MILAB = "primera-cohorte-govtech-2026"


def _milab(challenge, org, status, hours, **answers) -> dict:
    return {"call": _MILAB, "challenge": challenge, "org": org, "status": status, "hours": hours, **answers}


APPLICATIONS: list[dict] = [
    _milab(
        CANNABIS,
        "cannatrace",
        "submitted",
        70,
        answers={
            "solution_name": "CannaTrace Ventanilla",
            "summary": (
                "Registro único de licenciatarios y trazabilidad de lotes en una cadena de bloques "
                "permisionada, consultable por el Ministerio de Justicia y el INVIMA."
            ),
            "fit": (
                "El solicitante radica una sola vez; ambas entidades ven el mismo expediente y el "
                "historial de cada lote. La firma digital reemplaza los documentos en papel."
            ),
            "technologies": ["blockchain", "signature", "analytics"],
            "trl": "6",
            "pilot_cost": "240000000",
            "pilot_start": 40,
            "public_clients": False,
            "demo_url": "https://cannatrace.example/demo",
            "team": _team(("Felipe Castaño", "Arquitecto de la solución", 9), ("Ana Ruiz", "Regulatoria", 6)),
        },
        file=True,
    ),
    _milab(
        CANNABIS,
        "firmaya",
        "submitted",
        30,
        answers={
            "solution_name": "FirmaYa Trámites",
            "summary": "Radicación en línea con firma electrónica avanzada y sello de tiempo certificado.",
            "fit": "Elimina el papel y las firmas manuscritas en licencias y registros sanitarios.",
            "technologies": ["signature", "rpa"],
            "trl": "8",
            "pilot_cost": "150000000",
            "pilot_start": 30,
            "public_clients": True,
            "team": _team(("Carolina Mejía", "Gerente del proyecto", 12), ("Iván Rojas", "Desarrollador", 5)),
        },
    ),
    _milab(
        CANNABIS,
        "datacanto",
        "submitted",
        5,
        answers={
            "solution_name": "Datacanto Interop",
            "summary": "Bus de interoperabilidad entre el Ministerio y el INVIMA con validación automática.",
            "fit": "Conecta los sistemas actuales sin reemplazarlos y publica un tablero de seguimiento.",
            "technologies": ["analytics", "ocr", "rpa"],
            "trl": "9",
            "pilot_cost": "310000000",
            "pilot_start": 35,
            "public_clients": True,
            "demo_url": "https://datacanto.example",
            "team": _team(
                ("Patricia Londoño", "Directora del proyecto", 15),
                ("Jaime Téllez", "Arquitecto de integración", 11),
                ("Sofía Gil", "Analista de datos", 4),
            ),
        },
        partners=[{"name": "Universidad del Norte", "country": "CO", "role": "Evaluación del piloto"}],
    ),
    _milab(
        CANNABIS,
        "lexia-legaltech",
        "submitted",
        1.5,
        answers={
            "solution_name": "Lexia Expediente",
            "summary": "Extrae y valida los datos de cada documento del expediente con NLP y OCR.",
            "fit": "Reduce la revisión manual: cada documento llega clasificado y con sus datos verificados.",
            "technologies": ["ai", "ocr"],
            "trl": "6",
            "pilot_cost": "190000000",
            "public_clients": False,
            "team": _team(("Mariana Cárdenas", "CEO", 8), ("Rafael Niño", "Científico de datos", 6)),
        },
    ),
    _milab(
        CANNABIS,
        "openform-labs",
        "submitted",
        48,
        answers={
            "solution_name": "OpenForm Ventanilla Única",
            "summary": "Formulario único de código abierto para los trámites del cannabis.",
            "fit": "Un solo formulario alimenta los sistemas de ambas entidades.",
            "technologies": ["other", "signature"],
            "trl": "8",
            "pilot_cost": "120000000",
            "public_clients": True,
            "demo_url": "https://openform.example/cannabis",
            "team": _team(("Pablo Ortega", "Director técnico", 14)),
        },
    ),
    _milab(
        CANNABIS,
        "kuntur-analytics",
        "draft",
        None,
        answers={
            "solution_name": "Kuntur Lee — expedientes",
            "summary": "Lectura automática de los documentos del expediente con OCR e ICR.",
            "technologies": ["ocr", "rpa"],
            "trl": "7",
        },
    ),
    _milab(
        CANNABIS,
        "robotica-llanera",
        "draft",
        None,
        answers={"solution_name": "Bot de radicación", "summary": "Robots RPA para la radicación."},
    ),
    # Medicine receipts (SIC)
    _milab(
        RECEIPTS,
        "kuntur-analytics",
        "submitted",
        52,
        answers={
            "solution_name": "Kuntur Lee — facturas",
            "summary": (
                "Lee facturas escaneadas y electrónicas de medicamentos y dispositivos médicos y entrega "
                "precio, cantidad y proveedor por producto en minutos."
            ),
            "fit": (
                "La Superintendencia recibe datos estructurados de cada factura en horas y alertas de "
                "sobreprecio frente al precio regulado."
            ),
            "technologies": ["ocr", "rpa", "analytics"],
            "trl": "7",
            "pilot_cost": "180000000",
            "pilot_start": 30,
            "public_clients": True,
            "demo_url": "https://kuntur.example/lee",
            "team": _team(
                ("Santiago Herrera", "CEO y líder del piloto", 10, "https://www.linkedin.com/in/example"),
                ("Daniela Mora", "Científica de datos", 6),
                ("Andrés Calle", "Ingeniero RPA", 4),
            ),
        },
        file=True,
    ),
    _milab(
        RECEIPTS,
        "robotica-llanera",
        "submitted",
        20,
        answers={
            "solution_name": "Robot Factura",
            "summary": (
                "Robots que descargan, leen y registran facturas en el sistema de la Superintendencia."
            ),
            "fit": "Automatiza la digitación de facturas; los analistas revisan solo las excepciones.",
            "technologies": ["rpa", "ocr"],
            "trl": "7",
            "pilot_cost": "95000000",
            "public_clients": True,
            "team": _team(("Óscar Rey", "Fundador", 7), ("Lina Vargas", "Desarrolladora RPA", 3)),
        },
    ),
    _milab(
        RECEIPTS,
        "grupo-vision-uniandina",
        "submitted",
        96,
        answers={
            "solution_name": "VisiónFactura",
            "summary": "Modelos de visión por computador para facturas manuscritas y de baja calidad.",
            "fit": "Cubre las facturas que el OCR comercial no lee: escaneos torcidos y manuscritos.",
            "technologies": ["ai", "ocr"],
            "trl": "4",
            "pilot_cost": "70000000",
            "public_clients": True,
            "team": _team(
                ("Adriana Pardo", "Investigadora principal", 18), ("Miguel Ávila", "Doctorando", 3)
            ),
        },
        partners=[{"name": "Kuntur Analytics", "country": "CO", "role": "Integración y despliegue"}],
    ),
    _milab(
        RECEIPTS,
        "valentina-ospina-rpa",
        "submitted",
        3,
        answers={
            "solution_name": "Bots abiertos de facturas",
            "summary": "Bots de extracción publicados como código abierto para que la entidad los mantenga.",
            "fit": "Sin licencias: la Superintendencia es dueña de los bots y de los datos.",
            "technologies": ["rpa", "ocr"],
            "trl": "7",
            "pilot_cost": "45000000",
            "public_clients": False,
            "team": _team(("Valentina Ospina", "Ingeniera", 8)),
        },
    ),
    _milab(
        RECEIPTS,
        "semillero-ia-unal",
        "draft",
        None,
        answers={
            "solution_name": "Lector abierto de facturas",
            "summary": "Un modelo entrenado con facturas públicas anonimizadas.",
            "team": _team(("Tomás Bernal", "Coordinador", 2), ("Juana Pinzón", "Estudiante", 1)),
        },
    ),
    _milab(
        RECEIPTS,
        "datacanto",
        "draft",
        None,
        answers={"solution_name": "Datacanto Facturas"},
    ),
    # Users' emotions (Fondo Nacional del Ahorro)
    _milab(
        EMOTIONS,
        "sentimetria",
        "submitted",
        26,
        answers={
            "solution_name": "Sentimetría Pulse",
            "summary": "Detecta emociones en chats y llamadas y alerta cuando un usuario está por irse.",
            "fit": "El Fondo ve la satisfacción por canal y actúa antes de que llegue la queja.",
            "technologies": ["ai", "analytics"],
            "trl": "6",
            "pilot_cost": "160000000",
            "pilot_start": 30,
            "public_clients": False,
            "team": _team(("Daniel Ocampo", "Director de producto", 9), ("Valeria Soto", "Lingüista", 5)),
        },
        file=True,
    ),
    _milab(
        EMOTIONS,
        "escucha-activa",
        "submitted",
        8,
        answers={
            "solution_name": "Escucha360",
            "summary": "Clasifica emociones y motivos de contacto en llamadas, chats y PQRS.",
            "fit": "Un tablero único de la voz del usuario con recomendaciones de mejora.",
            "technologies": ["ai", "analytics"],
            "trl": "7",
            "pilot_cost": "210000000",
            "public_clients": True,
            "demo_url": "https://escucha-activa.example/demo",
            "team": _team(("Laura Vence", "Cofundadora", 11), ("Camilo Díaz", "Ingeniero de ML", 5)),
        },
        partners=[
            {"name": "Laboratorio de Lenguaje Natural del Pacífico", "country": "CO", "role": "Modelos"}
        ],
    ),
    _milab(
        EMOTIONS,
        "lenguaje-pacifico",
        "submitted",
        100,
        answers={
            "solution_name": "EmoES",
            "summary": "Modelos de emociones entrenados con español colombiano y sus regionalismos.",
            "fit": "Mayor precisión que los modelos genéricos en conversaciones reales del Fondo.",
            "technologies": ["ai"],
            "trl": "5",
            "pilot_cost": "80000000",
            "public_clients": True,
            "team": _team(("Hernán Caicedo", "Investigador principal", 20)),
        },
    ),
    _milab(
        EMOTIONS,
        "civicsense-ai",
        "submitted",
        12,
        answers={
            "solution_name": "CivicSense Voice",
            "summary": "Speech and text analytics for public contact centres, now in Spanish.",
            "fit": "Real-time emotion scores for each conversation and weekly reports for managers.",
            "technologies": ["ai", "analytics"],
            "trl": "7",
            "pilot_cost": "230000000",
            "public_clients": True,
            "team": _team(("Élodie Martin", "CEO", 13), ("Hugo Blanc", "Lead engineer", 9)),
        },
    ),
    _milab(
        EMOTIONS,
        "fundacion-datos-abiertos",
        "draft",
        None,
        answers={
            "solution_name": "Satisfacción abierta",
            "summary": "Publicar la satisfacción de los usuarios como datos abiertos.",
        },
    ),
    _milab(
        EMOTIONS,
        "semillero-ia-unal",
        "draft",
        None,
        answers={"solution_name": "EmociónIA"},
    ),
]

# --- GovTech Lab Luxembourg: Bye bye Robots! -------------------------------------------------------------

_LUX = "bye-bye-robots"


def _lux(org, status, hours, **answers) -> dict:
    return {"call": _LUX, "challenge": ROBOTS, "org": org, "status": status, "hours": hours, **answers}


APPLICATIONS += [
    _lux(
        "humancheck",
        "submitted",
        28,
        answers={
            "solution_name": "HumanCheck Invisible",
            "summary": (
                "A risk score computed from how the page is used, with no puzzle for humans and a "
                "proof-of-work challenge that makes mass automation expensive for bots."
            ),
            "accessible": True,
            "hosting": "ctie",
            "price": "48000",
            "available_from": 20,
            "website": "https://humancheck.example",
            "team": _team(("Sarah Kieffer", "Co-founder, security", 11), ("Tom Becker", "Front-end", 6)),
        },
        file=True,
    ),
    _lux(
        "lis-research-group",
        "submitted",
        70,
        answers={
            "solution_name": "Behavioural biometrics for MyGuichet.lu",
            "summary": "Typing and pointer dynamics tell people from scripts without storing personal data.",
            "accessible": True,
            "hosting": "ctie",
            "price": "65000",
            "team": _team(
                ("Dr. Yannick Weis", "Principal investigator", 14), ("Mia Schmit", "PhD student", 2)
            ),
        },
        partners=[{"name": "Formulaire Intelligent", "country": "LU", "role": "Integration in forms"}],
    ),
    _lux(
        "formulaire-intelligent",
        "submitted",
        4,
        answers={
            "solution_name": "Formulaire sans robots",
            "summary": (
                "Les formulaires détectent le remplissage automatique (vitesse, ordre des champs) et ne "
                "posent une question de contrôle qu'en cas de doute."
            ),
            "accessible": True,
            "hosting": "hybrid",
            "price": "39000",
            "available_from": 30,
            "team": _team(("Julie Thill", "Fondatrice", 9)),
        },
    ),
    _lux(
        "team-captchaless",
        "submitted",
        0.5,
        answers={
            "solution_name": "CaptchaLess",
            "summary": "A proof-of-work computed in the browser while the user types: invisible to people.",
            "accessible": True,
            "hosting": "ctie",
            "price": "15000",
            "website": "https://captchaless.example",
            "team": _team(
                ("Lena Hoffmann", "Team lead", 1),
                ("Jonas Meyer", "Developer", 1),
                ("Inès Costa", "UX", 1),
            ),
        },
    ),
    _lux(
        "marc-feltgen-accessibility",
        "submitted",
        50,
        answers={
            "solution_name": "Contrôle accessible",
            "summary": "Une alternative sans image ni son, testée avec des usagers aveugles et malvoyants.",
            "accessible": True,
            "hosting": "ctie",
            "price": "22000",
            "team": _team(("Marc Feltgen", "Consultant", 16)),
        },
    ),
    _lux(
        "trustmark-security",
        "submitted",
        9,
        answers={
            "solution_name": "Trustmark BotShield",
            "summary": "Per-request risk scoring at the edge, with no third-party cookies, hosted in the EU.",
            "accessible": True,
            "hosting": "eu_cloud",
            "price": "95000",
            "available_from": 14,
            "website": "https://trustmark.example",
            "team": _team(
                ("Nicolas Lejeune", "Account lead", 12), ("Eva Janssens", "Security architect", 15)
            ),
        },
    ),
    _lux(
        "civicsense-ai",
        "draft",
        None,
        answers={"solution_name": "CivicSense Human", "hosting": "eu_cloud"},
    ),
    _lux(
        "moselle-data-labs",
        "draft",
        None,
        answers={
            "solution_name": "Moselle BotWatch",
            "summary": "Détection des robots par l'analyse du trafic des formulaires.",
        },
    ),
]

# --- Innovationsupphandling Syd --------------------------------------------------------------------------

_SWE = "innovationsupphandling-2026"


def _swe(challenge, org, status, hours, **answers) -> dict:
    return {"call": _SWE, "challenge": challenge, "org": org, "status": status, "hours": hours, **answers}


APPLICATIONS += [
    _swe(
        FLOORS,
        "golvsmart",
        "submitted",
        36,
        answers={
            "solution_name": "GolvSmart Entré",
            "summary": "Entrémattor med sensorer som larmar när de är mättade, så att de byts i tid.",
            "sustainability": "Mattorna tvättas och återanvänds; mindre kemikalier i lokalvården.",
            "price": "180000",
            "municipalities": ["tomelilla", "ystad"],
            "employees": "6",
            "delivery": 30,
            "reference_customer": True,
            "website": "https://golvsmart.example",
            "team": _team(("Erik Nilsson", "VD", 14), ("Hanna Berg", "Projektledare", 5)),
        },
        file=True,
    ),
    _swe(
        FLOORS,
        "entremattan",
        "submitted",
        6,
        answers={
            "solution_name": "Trestegs entrézon",
            "summary": "Galler, borstmatta och absorberande matta fångar smuts och vatten vid dörren.",
            "sustainability": "Svensktillverkat, lång livslängd, utbytbara delar.",
            "price": "240000",
            "municipalities": ["tomelilla", "simrishamn", "ystad", "sjobo"],
            "employees": "24",
            "reference_customer": True,
            "team": _team(("Per Andersson", "Försäljningschef", 20)),
        },
    ),
    _swe(
        FLOORS,
        "materiallabbet",
        "submitted",
        60,
        answers={
            "solution_name": "Smutsavvisande golvyta",
            "summary": "A dirt-repellent floor coating, tested in the lab, to be piloted in two pre-schools.",
            "sustainability": "Water-based, no fluorinated substances.",
            "price": "120000",
            "municipalities": ["tomelilla"],
            "reference_customer": False,
            "team": _team(("Dr. Ingrid Falk", "Researcher", 16), ("Ali Karimi", "Postdoc", 4)),
        },
        partners=[{"name": "GolvSmart", "country": "SE", "role": "Installation"}],
    ),
    _swe(
        FLOORS,
        "sprintverket",
        "submitted",
        2,
        answers={
            "solution_name": "Torra golv-sprinten",
            "summary": "En designsprint med pedagoger, lokalvårdare och barn för att hitta rätt lösning.",
            "price": "95000",
            "municipalities": ["tomelilla", "simrishamn"],
            "employees": "11",
            "reference_customer": True,
            "team": _team(("Maria Sjöberg", "Verksamhetschef", 13)),
        },
    ),
    _swe(
        FLOORS,
        "anna-bergstrom-design",
        "draft",
        None,
        answers={"solution_name": "Skorna av!", "municipalities": ["ystad"]},
    ),
    # Sharing between municipalities
    _swe(
        SHARING,
        "delabanken",
        "submitted",
        30,
        answers={
            "solution_name": "Delabanken Kommun",
            "summary": "En gemensam katalog där kommunerna annonserar, bokar och hämtar saker och lokaler.",
            "sustainability": "Färre inköp: varje delad sak ersätter i snitt tre nya.",
            "price": "320000",
            "municipalities": ["tomelilla", "simrishamn", "ystad", "sjobo"],
            "employees": "14",
            "delivery": 45,
            "reference_customer": True,
            "website": "https://delabanken.example",
            "team": _team(("Sara Holm", "Grundare", 10), ("Nils Åberg", "Utvecklare", 7)),
        },
        file=True,
    ),
    _swe(
        SHARING,
        "lokalnyttan",
        "submitted",
        10,
        answers={
            "solution_name": "Lokalnyttan Plus",
            "summary": "Bokningsappen utökad med lån och byten mellan förvaltningar och kommuner.",
            "price": "210000",
            "municipalities": ["tomelilla", "sjobo"],
            "employees": "5",
            "reference_customer": True,
            "team": _team(("Johan Ek", "Produktägare", 8)),
        },
    ),
    _swe(
        SHARING,
        "delningsforeningen",
        "submitted",
        75,
        answers={
            "solution_name": "Fritidsbanken för kommuner",
            "summary": "Våra utlåningsställen blir kommunernas utlämningspunkter.",
            "sustainability": "Ideell drift, återbruk och lokala arbetstillfällen.",
            "price": "60000",
            "municipalities": ["ystad", "simrishamn"],
            "reference_customer": False,
            "team": _team(("Lars Persson", "Ordförande", 9)),
        },
    ),
    _swe(
        SHARING,
        "samakning-osterlen",
        "submitted",
        1,
        answers={
            "solution_name": "Dela & Res",
            "summary": "Delade saker hämtas med samordnade resor som redan går mellan kommunerna.",
            "price": "150000",
            "municipalities": ["simrishamn", "tomelilla"],
            "employees": "4",
            "reference_customer": False,
            "team": _team(("Oskar Lund", "Grundare", 6)),
        },
    ),
    _swe(
        SHARING,
        "studentteam-cirkular",
        "draft",
        None,
        answers={
            "solution_name": "Möbelbytet",
            "summary": "Annonsera överblivna möbler mellan förvaltningar.",
        },
    ),
    _swe(
        SHARING,
        "sprintverket",
        "draft",
        None,
        answers={"solution_name": "Delningssprinten"},
    ),
]

# --- MiLAB: the 2025 cohort (closed on 11 April 2025) ---------------------------------------------------

_MILAB_2025 = "cohorte-govtech-2025"


def _milab_2025(challenge, org, status, hours, **answers) -> dict:
    return {
        "call": _MILAB_2025,
        "challenge": challenge,
        "org": org,
        "status": status,
        "hours": hours,
        **answers,
    }


APPLICATIONS += [
    # Illegal online sale of medicines (INVIMA)
    _milab_2025(
        ONLINE_SALES,
        "rastro-digital",
        "submitted",
        30,
        answers={
            "solution_name": "Rastro Salud",
            "summary": (
                "Rastrea a diario tiendas en línea, marketplaces y redes sociales, reconoce los empaques "
                "con visión por computador y cruza cada producto con el registro sanitario."
            ),
            "fit": (
                "El grupo de vigilancia recibe cada mañana las alertas ordenadas por riesgo, con capturas, "
                "enlaces y cuentas relacionadas, listas para pedir la baja del anuncio."
            ),
            "technologies": ["ai", "analytics"],
            "trl": "6",
            "pilot_cost": "210000000",
            "pilot_start": 60,
            "public_clients": True,
            "demo_url": "https://rastro-digital.example/salud",
            "team": _team(
                ("Alejandro Quiroga", "CEO y líder del piloto", 9),
                ("Manuela Restrepo", "Científica de datos", 6),
                ("Sergio Pabón", "Ingeniero de visión por computador", 4),
            ),
        },
        file=True,
    ),
    _milab_2025(
        ONLINE_SALES,
        "datacanto",
        "submitted",
        60,
        answers={
            "solution_name": "Datacanto Vigía",
            "summary": "Integra las fuentes de alertas del INVIMA y de los usuarios con analítica de riesgo.",
            "fit": "Un solo tablero con las alertas de la web, las denuncias y el registro sanitario.",
            "technologies": ["analytics", "ai"],
            "trl": "8",
            "pilot_cost": "260000000",
            "pilot_start": 55,
            "public_clients": True,
            "demo_url": "https://datacanto.example/vigia",
            "team": _team(("Patricia Londoño", "Directora del proyecto", 15), ("Sofía Gil", "Analista", 4)),
        },
    ),
    _milab_2025(
        ONLINE_SALES,
        "grupo-vision-uniandina",
        "submitted",
        90,
        answers={
            "solution_name": "VisiónEmpaque",
            "summary": "Reconoce empaques falsificados en las fotos de anuncios, frente a los originales.",
            "fit": "Detecta las falsificaciones que el texto del anuncio no delata.",
            "technologies": ["ai"],
            "trl": "4",
            "pilot_cost": "90000000",
            "public_clients": True,
            "team": _team(
                ("Adriana Pardo", "Investigadora principal", 18), ("Miguel Ávila", "Doctorando", 3)
            ),
        },
    ),
    _milab_2025(
        ONLINE_SALES,
        "semillero-ia-unal",
        "submitted",
        4,
        answers={
            "solution_name": "FarmaBot",
            "summary": "Un bot que busca en redes sociales palabras clave de medicamentos de control.",
            "fit": "Encuentra publicaciones sospechosas y las envía por correo al INVIMA.",
            "technologies": ["ai", "other"],
            "trl": "4",
            "pilot_cost": "25000000",
            "public_clients": False,
            "team": _team(("Tomás Bernal", "Coordinador", 2), ("Juana Pinzón", "Estudiante", 1)),
        },
    ),
    _milab_2025(
        ONLINE_SALES,
        "cannatrace",
        "draft",
        None,
        answers={"solution_name": "CannaTrace Vigilancia", "summary": "Trazabilidad de productos en línea."},
    ),
    # Consumer complaints (SIC)
    _milab_2025(
        COMPLAINTS,
        "lexia-legaltech",
        "submitted",
        40,
        answers={
            "solution_name": "Lexia Quejas",
            "summary": (
                "Clasifica cada queja por tema, empresa y norma posiblemente infringida, calcula su "
                "prioridad y agrupa las que hablan del mismo caso."
            ),
            "fit": (
                "La queja llega al grupo competente en minutos y los casos masivos aparecen como uno solo, "
                "con el número de consumidores afectados."
            ),
            "technologies": ["ai", "rpa"],
            "trl": "6",
            "pilot_cost": "170000000",
            "pilot_start": 60,
            "public_clients": True,
            "team": _team(
                ("Mariana Cárdenas", "CEO", 8),
                ("Rafael Niño", "Científico de datos", 6),
                ("Lucía Barrera", "Abogada de protección al consumidor", 10),
            ),
        },
        file=True,
    ),
    _milab_2025(
        COMPLAINTS,
        "escucha-activa",
        "submitted",
        15,
        answers={
            "solution_name": "Escucha360 Consumidor",
            "summary": "Clasifica quejas escritas y llamadas por motivo y emoción; un tablero por empresa.",
            "fit": "Prioriza las quejas más graves y muestra las empresas con más reclamos repetidos.",
            "technologies": ["ai", "analytics"],
            "trl": "7",
            "pilot_cost": "190000000",
            "public_clients": True,
            "demo_url": "https://escucha-activa.example/consumidor",
            "team": _team(("Laura Vence", "Cofundadora", 11), ("Camilo Díaz", "Ingeniero de ML", 5)),
        },
    ),
    _milab_2025(
        COMPLAINTS,
        "robotica-llanera",
        "submitted",
        2,
        answers={
            "solution_name": "Robot Radicador",
            "summary": "Robots que copian las quejas de cada canal al sistema de trámites.",
            "fit": "Ahorra la digitación; la clasificación la siguen haciendo los funcionarios.",
            "technologies": ["rpa"],
            "trl": "7",
            "pilot_cost": "60000000",
            "public_clients": True,
            "team": _team(("Óscar Rey", "Fundador", 7), ("Lina Vargas", "Desarrolladora RPA", 3)),
        },
    ),
    _milab_2025(
        COMPLAINTS,
        "lenguaje-pacifico",
        "draft",
        None,
        answers={"solution_name": "EmoES Quejas", "summary": "Modelos del español para clasificar quejas."},
    ),
    _milab_2025(
        COMPLAINTS,
        "openform-labs",
        "draft",
        None,
        answers={"solution_name": "OpenForm Quejas"},
    ),
    # Housing credit for self-employed and informal workers (Fondo Nacional del Ahorro)
    _milab_2025(
        HOUSING_CREDIT,
        "nido-fintech",
        "submitted",
        50,
        answers={
            "solution_name": "Nido Score",
            "summary": (
                "Un puntaje de crédito explicable que usa, con autorización del usuario, su ahorro en el "
                "Fondo, pagos de servicios, recargas y movimientos de billeteras digitales."
            ),
            "fit": (
                "El analista ve por qué el puntaje es el que es y el usuario sabe qué mejorar; el modelo se "
                "prueba en el sandbox antes de usarse en decisiones reales."
            ),
            "technologies": ["ai", "analytics"],
            "trl": "7",
            "pilot_cost": "280000000",
            "pilot_start": 60,
            "public_clients": False,
            "demo_url": "https://nido-fintech.example/score",
            "team": _team(
                ("Isabel Cuervo", "Directora de riesgo", 12),
                ("Felipe Ángel", "CTO", 9),
                ("Diana Rueda", "Oficial de cumplimiento", 8),
            ),
        },
        file=True,
    ),
    _milab_2025(
        HOUSING_CREDIT,
        "trebol-analitica",
        "submitted",
        24,
        answers={
            "solution_name": "Trébol Ingresos",
            "summary": "Estima ingresos mensuales de independientes a partir de sus pagos y movimientos.",
            "fit": "Reemplaza el certificado de ingresos que los informales no tienen.",
            "technologies": ["analytics", "ai"],
            "trl": "8",
            "pilot_cost": "230000000",
            "public_clients": True,
            "team": _team(("Mauricio Lozano", "Gerente general", 16), ("Paula Erazo", "Estadística", 7)),
        },
        partners=[
            {"name": "Cooperativa Confiar del Valle", "country": "CO", "role": "Datos de microcrédito"}
        ],
    ),
    _milab_2025(
        HOUSING_CREDIT,
        "firmaya",
        "submitted",
        6,
        answers={
            "solution_name": "FirmaYa Crédito",
            "summary": "Solicitud de crédito en línea con firma electrónica y validación de identidad.",
            "fit": "El trabajador independiente radica su solicitud sin ir a una oficina.",
            "technologies": ["signature"],
            "trl": "8",
            "pilot_cost": "110000000",
            "public_clients": True,
            "team": _team(("Carolina Mejía", "Gerente general", 12), ("Iván Rojas", "Desarrollador", 5)),
        },
    ),
    _milab_2025(
        HOUSING_CREDIT,
        "valentina-ospina-rpa",
        "draft",
        None,
        answers={"solution_name": "Bots de estudio de crédito"},
    ),
    _milab_2025(
        HOUSING_CREDIT,
        "fundacion-datos-abiertos",
        "draft",
        None,
        answers={
            "solution_name": "Ingresos abiertos",
            "summary": "Datos abiertos sobre ingresos de la economía popular.",
        },
    ),
]
