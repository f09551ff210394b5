"""The demo's calls for solutions, from the seed documents (../shared/seeds).

- MiLAB (Colombia): one call for the three challenges of its first cohort (cannabis procedures, medicine
  receipts, users' emotions), at most three solutions preselected per challenge, then strengthening,
  piloting and a Demo Day, as MiLAB's methodology describes. Open when the demo is loaded.
- MiLAB's 2025 cohort: an earlier call for three other challenges of the same entities (illegal online
  sale of medicines, consumer complaints, housing credit for informal workers), closed in April 2025,
  evaluated and preselected in May; strengthening from June to September and the Demo Day in October.
- GovTech Lab Luxembourg: "Bye bye Robots!", its first call for solutions (telling humans and bots apart
  on MyGuichet.lu), open to start-ups, researchers, freelancers, companies and students. Closed.
- Innovationsupphandling Syd (Sweden): the two announced innovation procurements, clean and dry floors
  in schools and a platform to share resources between municipalities. Closed.

Dates are offsets from the moment the demo is loaded (``days`` before or after ``now``; the deadline is
put at a round local hour in the call's time zone), or calendar dates (``datetime.date``) for a call of a
past year; the dates after the deadline are offsets from the deadline's day, or calendar dates.
``challenges`` name a demo challenge by its lab, its owner and its English title
(govlab/challenges/demo_data/challenges.py).
"""

from __future__ import annotations

import datetime as dt

CANNABIS = ("milab", "invima", "Interoperability and efficiency of the cannabis industry's procedures")
RECEIPTS = ("milab", "sic", "Automatic extraction of information from medicine and medical device receipts")
EMOTIONS = ("milab", "fondo-nacional-del-ahorro", "Analysing users' emotions and patterns to improve service")
ONLINE_SALES = ("milab", "invima", "Detecting the illegal online sale of medicines and medical devices")
COMPLAINTS = ("milab", "sic", "Automatic classification of consumer complaints")
HOUSING_CREDIT = (
    "milab",
    "fondo-nacional-del-ahorro",
    "Housing credit for self-employed and informal workers",
)
ROBOTS = ("govtech-lab-luxembourg", "ctie", "Bye bye Robots!")
FLOORS = ("innovationsupphandling-syd", "tomelilla-kommun", "Clean and dry floors in schools and pre-schools")
SHARING = (
    "innovationsupphandling-syd",
    "tomelilla-kommun",
    "A service to lend, swap and sell between municipalities",
)

# What the readiness checklist needs for the two MiLAB challenges the challenges demo leaves in
# "characterising" (SIC) and "accepted" (Fondo Nacional del Ahorro): the calls demo completes their
# characterisation through the challenge services and moves them to "ready for a call".
READINESS: dict[tuple, dict] = {
    RECEIPTS: {
        "technical": {
            "es": "OMR, ICR y RPA sobre facturas escaneadas y electrónicas (XML de la DIAN).",
            "en": "OMR, ICR and RPA on scanned and electronic receipts (DIAN XML).",
        },
        "functionalities": {
            "es": "Carga masiva, extracción de precio y cantidad por producto, alertas de sobreprecio.",
            "en": "Bulk upload, price and quantity per product extracted, alerts on overpricing.",
        },
        "duration": 6,
        "cost": "420000000",
        "budget": ("450000000", "Presupuesto de funcionamiento 2026 de la Superintendencia"),
        "team": [
            ("innovation", "Camilo Arango", "Coordinador del Grupo de Innovación"),
            ("strategy", "Mónica Salazar", "Jefe de la Oficina Asesora de Planeación"),
        ],
        "pilot": {
            "es": "Un lote de 20.000 facturas anonimizadas de 2025 y un servidor de pruebas.",
            "en": "A batch of 20,000 anonymised 2025 receipts and a test server.",
        },
        "worksheets": {
            "problem_tree": {
                "central_problem": "Revisión manual de facturas de medicamentos",
                "causes": ["Formatos heterogéneos", "Facturas escaneadas", "Sin extracción automática"],
                "effects": ["Control de precios tardío", "Sanciones que llegan meses después"],
            },
            "how_might_we": {
                "statements": [
                    "¿Cómo podríamos obtener datos estructurados de cada factura en horas y no en semanas?"
                ]
            },
            "needs_analysis": {
                "needs": [
                    {
                        "need": "Extraer precio por producto",
                        "who": "Analistas de precios",
                        "priority": "Alta",
                    },
                    {"need": "Detectar sobreprecios", "who": "Delegatura de protección", "priority": "Alta"},
                ]
            },
        },
    },
    EMOTIONS: {
        "technical": {
            "es": "Procesamiento de lenguaje natural y analítica de voz sobre chats, llamadas y PQRS.",
            "en": "Natural language processing and speech analytics on chats, calls and complaints.",
        },
        "functionalities": {
            "es": "Tablero de emociones por canal, alertas tempranas y recomendaciones de mejora.",
            "en": "A dashboard of emotions per channel, early warnings and suggested improvements.",
        },
        "duration": 7,
        "cost": "380000000",
        "budget": ("400000000", "Plan de inversión 2026 del Fondo Nacional del Ahorro"),
        "regime": 1,
        "team": [
            ("legal", "Juliana Herrera", "Abogada de contratación"),
            ("innovation", "Esteban Quintero", "Líder de experiencia del consumidor financiero"),
            ("technology", "Marcela Duarte", "Arquitecta de datos"),
            ("strategy", "Germán Patiño", "Vicepresidente de planeación"),
        ],
        "pilot": {
            "es": "Seis meses de conversaciones anonimizadas del centro de contacto.",
            "en": "Six months of anonymised contact-centre conversations.",
        },
        "worksheets": {
            "problem_tree": {
                "central_problem": "No sabemos cómo se sienten los usuarios al ser atendidos",
                "causes": ["Encuestas con poca respuesta", "Canales sin análisis"],
                "effects": ["Quejas repetidas", "Usuarios que abandonan el crédito"],
            },
            "how_might_we": {
                "statements": ["¿Cómo podríamos anticipar la insatisfacción antes de que se vuelva queja?"]
            },
            "needs_analysis": {
                "needs": [
                    {"need": "Medir emociones por canal", "who": "Servicio al cliente", "priority": "Alta"}
                ]
            },
        },
    },
}


def _scale(*labels: dict, start: int = 0) -> list[dict]:
    return [{"value": value, "label": label} for value, label in enumerate(labels, start=start)]


MILAB_SCALE = _scale(
    {"es": "No cumple", "en": "Not met"},
    {"es": "Insuficiente", "en": "Insufficient"},
    {"es": "Aceptable", "en": "Acceptable"},
    {"es": "Bueno", "en": "Good"},
    {"es": "Excelente", "en": "Excellent"},
)
LUX_SCALE = _scale(
    {"en": "Poor", "fr": "Faible"},
    {"en": "Fair", "fr": "Passable"},
    {"en": "Good", "fr": "Bon"},
    {"en": "Very good", "fr": "Très bon"},
    {"en": "Outstanding", "fr": "Remarquable"},
    start=1,
)
SWE_SCALE = _scale(
    {"sv": "Uppfylls inte", "en": "Not met"},
    {"sv": "Uppfylls delvis", "en": "Partly met"},
    {"sv": "Uppfylls", "en": "Met"},
    {"sv": "Överträffas", "en": "Exceeded"},
)


def _team_group(labels: dict, name: dict, role: dict, years: dict, profile: dict) -> dict:
    """The repeatable "team members" question: name, role, years of experience, a public profile."""
    return {
        "key": "team",
        "kind": "group",
        "label": labels,
        "required": True,
        "config": {
            "min_rows": 1,
            "max_rows": 8,
            "fields": [
                {"key": "name", "kind": "short_text", "label": name, "required": True},
                {"key": "role", "kind": "short_text", "label": role, "required": True},
                {
                    "key": "years",
                    "kind": "number",
                    "label": years,
                    "config": {"integer": True, "min": "0", "max": "60"},
                },
                {"key": "profile", "kind": "url", "label": profile},
            ],
        },
    }


# --- MiLAB ---------------------------------------------------------------------------------------------

MILAB_QUESTIONS = [
    {
        "key": "solution_name",
        "kind": "short_text",
        "label": {"es": "Nombre de la solución", "en": "Name of the solution"},
        "required": True,
        "config": {"max_length": 120},
    },
    {
        "key": "summary",
        "kind": "long_text",
        "label": {"es": "Resumen de la solución", "en": "Summary of the solution"},
        "help_text": {
            "es": "Qué hace, para quién y con qué tecnología. Máximo 1.000 caracteres.",
            "en": "What it does, for whom and with which technology. At most 1,000 characters.",
        },
        "required": True,
        "config": {"max_length": 1000},
    },
    {
        "key": "fit",
        "kind": "long_text",
        "label": {
            "es": "¿Cómo responde su solución al reto de la entidad?",
            "en": "How does your solution answer the entity's challenge?",
        },
        "required": True,
        "config": {"max_length": 3000},
    },
    {
        "key": "technologies",
        "kind": "multiple_choice",
        "label": {"es": "Tecnologías que usa", "en": "Technologies used"},
        "required": True,
        "config": {
            "choices": [
                {"value": "ai", "label": {"es": "Inteligencia artificial", "en": "Artificial intelligence"}},
                {"value": "ocr", "label": {"es": "OCR / ICR / OMR", "en": "OCR / ICR / OMR"}},
                {"value": "rpa", "label": {"es": "RPA", "en": "RPA"}},
                {"value": "analytics", "label": {"es": "Analítica de datos", "en": "Data analytics"}},
                {"value": "signature", "label": {"es": "Firma digital", "en": "Digital signature"}},
                {"value": "blockchain", "label": {"es": "Blockchain", "en": "Blockchain"}},
                {"value": "other", "label": {"es": "Otra", "en": "Other"}},
            ],
            "min_selected": 1,
            "max_selected": 4,
        },
    },
    {
        "key": "trl",
        "kind": "number",
        "label": {
            "es": "Nivel de madurez tecnológica (TRL) hoy",
            "en": "Technology readiness level (TRL) today",
        },
        "help_text": {
            "es": "De 1 a 9, según la escala de la Unión Europea.",
            "en": "1 to 9, on the EU scale.",
        },
        "required": True,
        "config": {"integer": True, "min": "1", "max": "9"},
    },
    {
        "key": "pilot_cost",
        "kind": "money",
        "label": {"es": "Costo estimado del piloto", "en": "Estimated cost of the pilot"},
        "required": True,
        "config": {"currency": "COP", "min": "0"},
    },
    {
        "key": "pilot_start",
        "kind": "date",
        "label": {"es": "¿Desde cuándo podría iniciar el piloto?", "en": "From when could the pilot start?"},
    },
    {
        "key": "public_clients",
        "kind": "yes_no",
        "label": {
            "es": "¿Ha trabajado antes con entidades públicas?",
            "en": "Have you worked with public entities before?",
        },
        "required": True,
    },
    {
        "key": "demo_url",
        "kind": "url",
        "label": {"es": "Video o demostración en línea", "en": "Video or online demo"},
    },
    {
        "key": "pitch_deck",
        "kind": "file",
        "label": {"es": "Presentación de la solución (PDF)", "en": "Pitch deck (PDF)"},
        "config": {"extensions": ["pdf"], "max_mb": 10},
    },
    _team_group(
        {"es": "Equipo", "en": "Team"},
        {"es": "Nombre", "en": "Name"},
        {"es": "Rol en el proyecto", "en": "Role in the project"},
        {"es": "Años de experiencia", "en": "Years of experience"},
        {"es": "Perfil público (LinkedIn, GitHub…)", "en": "Public profile (LinkedIn, GitHub…)"},
    ),
]

MILAB_CALL = {
    "lab": "milab",
    "slug": "primera-cohorte-govtech-2026",
    "title": {
        "es": "Convocatoria de soluciones GovTech — primera cohorte 2026",
        "en": "Call for GovTech solutions — first cohort 2026",
    },
    "summary": {
        "es": (
            "Tres entidades públicas buscan start-ups y pymes con soluciones de tecnologías emergentes "
            "para sus retos: trámites del cannabis, facturas de medicamentos y la experiencia de los "
            "usuarios. Hasta tres soluciones por reto pasan a fortalecimiento y piloto."
        ),
        "en": (
            "Three public entities are looking for start-ups and SMEs with emerging-technology solutions "
            "to their challenges: cannabis procedures, medicine receipts and users' experience. Up to three "
            "solutions per challenge go on to strengthening and a pilot."
        ),
    },
    "description": {
        "es": (
            "MiLAB conecta los retos de las entidades con el ecosistema GovTech mediante la compra pública "
            "de innovación. Las soluciones preseleccionadas (hasta tres por reto) reciben un diagnóstico "
            "según su TRL, cinco bootcamps (modelo de negocio, fortalecimiento técnico, aspectos legales…) "
            "y mentorías, trabajan con la entidad en sesiones de alineación y diseñan un MVP. En el Demo "
            "Day la entidad elige la solución que pasa a implementación."
        ),
        "en": (
            "MiLAB connects entities' challenges with the GovTech ecosystem through public procurement of "
            "innovation. Preselected solutions (up to three per challenge) get a diagnosis by TRL, five "
            "bootcamps (business model, technical strengthening, legal aspects…) and mentoring, work with "
            "the entity in alignment sessions and design an MVP. At Demo Day the entity chooses the "
            "solution that goes on to implementation."
        ),
    },
    "challenges": [CANNABIS, RECEIPTS, EMOTIONS],
    "eligible_kinds": ["startup", "sme", "research", "ngo", "freelancer", "student_team"],
    "eligible_countries": [],
    "min_trl": 4,
    "consortium_allowed": True,
    "max_preselected": 3,
    "currency": "COP",
    "strengthening_budget": "60000000",
    "pilot_budget": "850000000",
    "support": {
        "es": "Diagnóstico según el TRL, cinco bootcamps, mentorías y acceso a los datos de prueba.",
        "en": "A diagnosis by TRL, five bootcamps, mentoring and access to the entities' test data.",
    },
    "state": "open",
    # Offsets in days from the moment the demo is loaded; the deadline at 17:00 Bogotá time.
    "publishes": -21,
    "deadline": 4,
    "deadline_hour": 17,
    "enquiries_close": -2,  # days before the deadline
    "evaluation_ends": 21,  # days after the deadline
    "preselection": 25,
    "strengthening": (30, 75),
    "demo_day": 80,
    "staff": "staff@milab.example",
    "criteria": [
        {
            "name": {"es": "Pertinencia frente al reto", "en": "Fit with the challenge"},
            "description": {
                "es": "La solución responde al problema y a las funcionalidades que pide la entidad.",
                "en": "The solution answers the problem and the functionalities the entity asks for.",
            },
            "weight": "30",
            "scale": MILAB_SCALE,
        },
        {
            "name": {
                "es": "Innovación y tecnologías emergentes",
                "en": "Innovation and emerging technologies",
            },
            "weight": "25",
            "scale": MILAB_SCALE,
        },
        {
            "name": {
                "es": "Madurez (TRL) y viabilidad del piloto",
                "en": "Maturity (TRL) and pilot feasibility",
            },
            "weight": "20",
            "scale": MILAB_SCALE,
        },
        {
            "name": {"es": "Capacidad del equipo", "en": "The team's capacity"},
            "weight": "15",
            "scale": MILAB_SCALE,
        },
        {
            "name": {"es": "Modelo de negocio y escalabilidad", "en": "Business model and scalability"},
            "weight": "10",
            "scale": MILAB_SCALE,
        },
    ],
    "questions": MILAB_QUESTIONS,
    "enquiries": [
        {
            "asker": "kuntur-analytics",
            "question": "¿Podemos presentarnos a dos retos de la misma convocatoria?",
            "public_question": {
                "es": "¿Una organización puede presentarse a más de un reto?",
                "en": "May an organisation apply to more than one challenge?",
            },
            "answer": {
                "es": "Sí: presente una postulación por reto. Cada una se evalúa por separado.",
                "en": "Yes: send one application per challenge. Each is evaluated on its own.",
            },
        },
        {
            "asker": "cannatrace",
            "question": "¿El piloto del reto del cannabis usa datos reales de los expedientes?",
            "public_question": {
                "es": "¿El piloto del reto del cannabis usa datos reales?",
                "en": "Does the cannabis challenge's pilot use real data?",
            },
            "answer": {
                "es": (
                    "El INVIMA ofrece su ambiente de pruebas con expedientes anonimizados; los datos "
                    "personales no salen de la entidad."
                ),
                "en": (
                    "INVIMA offers its test environment with anonymised files; personal data do not leave "
                    "the entity."
                ),
            },
        },
        {
            "asker": "semillero-ia-unal",
            "question": "Somos un semillero universitario, ¿podemos participar?",
            "public_question": {
                "es": "¿Pueden participar equipos de estudiantes?",
                "en": "May student teams apply?",
            },
            "answer": {
                "es": "Sí, si su solución tiene al menos TRL 4 y un docente acompaña al equipo.",
                "en": "Yes, if the solution is at TRL 4 or more and a teacher accompanies the team.",
            },
        },
    ],
}

# --- GovTech Lab Luxembourg ------------------------------------------------------------------------------

LUX_QUESTIONS = [
    {
        "key": "solution_name",
        "kind": "short_text",
        "label": {"en": "Name of the solution", "fr": "Nom de la solution"},
        "required": True,
        "config": {"max_length": 120},
    },
    {
        "key": "summary",
        "kind": "long_text",
        "label": {"en": "Describe your solution", "fr": "Décrivez votre solution"},
        "help_text": {
            "en": "How it tells humans and bots apart, and what the user sees. At most 2,000 characters.",
            "fr": (
                "Comment elle distingue humains et robots, et ce que voit l'usager. 2 000 caractères au plus."
            ),
        },
        "required": True,
        "config": {"max_length": 2000},
    },
    {
        "key": "accessible",
        "kind": "yes_no",
        "label": {
            "en": "Does the solution meet WCAG 2.1 AA without a visual puzzle?",
            "fr": "La solution respecte-t-elle le WCAG 2.1 AA sans énigme visuelle ?",
        },
        "required": True,
    },
    {
        "key": "hosting",
        "kind": "single_choice",
        "label": {"en": "Where would it run?", "fr": "Où serait-elle hébergée ?"},
        "required": True,
        "config": {
            "choices": [
                {"value": "ctie", "label": {"en": "On the CTIE's premises", "fr": "Dans les locaux du CTIE"}},
                {"value": "eu_cloud", "label": {"en": "EU cloud", "fr": "Nuage européen"}},
                {"value": "hybrid", "label": {"en": "Hybrid", "fr": "Hybride"}},
            ]
        },
    },
    {
        "key": "price",
        "kind": "money",
        "label": {"en": "Price of the proof of concept", "fr": "Prix de la preuve de concept"},
        "required": True,
        "config": {"currency": "EUR", "min": "0", "max": "200000"},
    },
    {
        "key": "available_from",
        "kind": "date",
        "label": {"en": "Available to start on", "fr": "Disponible à partir du"},
    },
    {
        "key": "website",
        "kind": "url",
        "label": {"en": "Website or demo", "fr": "Site ou démonstration"},
    },
    {
        "key": "technical_annex",
        "kind": "file",
        "label": {"en": "Technical annex (PDF)", "fr": "Annexe technique (PDF)"},
        "config": {"extensions": ["pdf"], "max_mb": 10},
    },
    _team_group(
        {"en": "Team members", "fr": "Membres de l'équipe"},
        {"en": "Name", "fr": "Nom"},
        {"en": "Role", "fr": "Rôle"},
        {"en": "Years of experience", "fr": "Années d'expérience"},
        {"en": "Public profile", "fr": "Profil public"},
    ),
]

LUX_CALL = {
    "lab": "govtech-lab-luxembourg",
    "slug": "bye-bye-robots",
    "title": {"en": "Bye bye Robots!", "fr": "Bye bye Robots !"},
    "summary": {
        "en": (
            "An innovative way to tell computers and humans apart in online procedures with the "
            "Luxembourg State, to replace the CTIE's current check: simple, appealing, accessible and secure."
        ),
        "fr": (
            "Une manière innovante de distinguer ordinateurs et humains dans les démarches en ligne avec "
            "l'État luxembourgeois, pour remplacer le contrôle actuel du CTIE : simple, attrayante, "
            "accessible et sûre."
        ),
    },
    "description": {
        "en": (
            "The GovTech Lab's first call for solutions, launched by the Minister Delegate for "
            "Digitalisation. Start-ups, researchers, freelancers, companies and students may apply. The "
            "solution must be simple, innovative and appealing for the user and guarantee the required "
            "security standards."
        ),
        "fr": (
            "Premier appel à solutions du GovTech Lab, lancé par le ministre délégué à la Digitalisation. "
            "Start-up, chercheurs, indépendants, entreprises et étudiants peuvent y répondre. La solution "
            "doit être simple, innovante et attrayante pour l'usager et garantir les standards de sécurité "
            "requis."
        ),
    },
    "challenges": [ROBOTS],
    "eligible_kinds": [],
    "eligible_countries": [],
    "min_trl": None,
    "consortium_allowed": True,
    "max_preselected": 3,
    "currency": "EUR",
    "strengthening_budget": None,
    "pilot_budget": "100000",
    "support": {
        "en": "A paid proof of concept with the CTIE's teams and access to a test version of MyGuichet.lu.",
        "fr": (
            "Une preuve de concept rémunérée avec les équipes du CTIE et une version de test de MyGuichet.lu."
        ),
    },
    "state": "closed",
    "publishes": -80,
    "deadline": -21,
    "deadline_hour": 12,
    "enquiries_close": -10,
    "evaluation_ends": 35,
    "preselection": 38,
    "strengthening": (45, 100),
    "demo_day": 105,
    "staff": "manager@govtech-lab-luxembourg.example",
    "criteria": [
        {
            "name": {"en": "Innovation and user appeal", "fr": "Innovation et attrait pour l'usager"},
            "weight": "30",
            "scale": LUX_SCALE,
        },
        {
            "name": {"en": "Security", "fr": "Sécurité"},
            "description": {
                "en": "Resists automated bots; no personal data leaves the State.",
                "fr": "Résiste aux robots ; aucune donnée personnelle ne quitte l'État.",
            },
            "weight": "25",
            "scale": LUX_SCALE,
        },
        {
            "name": {"en": "Accessibility and simplicity", "fr": "Accessibilité et simplicité"},
            "weight": "20",
            "scale": LUX_SCALE,
        },
        {
            "name": {"en": "Integration with MyGuichet.lu", "fr": "Intégration à MyGuichet.lu"},
            "weight": "15",
            "scale": LUX_SCALE,
        },
        {"name": {"en": "Team", "fr": "Équipe"}, "weight": "10", "scale": LUX_SCALE},
    ],
    "questions": LUX_QUESTIONS,
    "enquiries": [
        {
            "asker": "humancheck",
            "question": "Can the solution call a service hosted outside Luxembourg?",
            "public_question": {
                "en": "May the solution rely on a service hosted outside Luxembourg?",
                "fr": "La solution peut-elle s'appuyer sur un service hébergé hors du Luxembourg ?",
            },
            "answer": {
                "en": "Only within the EU, and no personal data may leave the State's infrastructure.",
                "fr": (
                    "Seulement dans l'UE, et aucune donnée personnelle ne "
                    "peut quitter l'infrastructure de l'État."
                ),
            },
        },
        {
            "asker": "team-captchaless",
            "question": "Nous sommes des étudiants : faut-il une société pour répondre ?",
            "public_question": {
                "en": "Do students need a company to apply?",
                "fr": "Les étudiants doivent-ils créer une société pour répondre ?",
            },
            "answer": {
                "en": "No. A student team may apply; a contract would be signed with a legal person later.",
                "fr": (
                    "Non. Une équipe d'étudiants peut répondre ; le contrat "
                    "serait signé plus tard avec une personne morale."
                ),
            },
        },
    ],
}

# --- Innovationsupphandling Syd ---------------------------------------------------------------------------

SWE_QUESTIONS = [
    {
        "key": "solution_name",
        "kind": "short_text",
        "label": {"sv": "Lösningens namn", "en": "Name of the solution"},
        "required": True,
        "config": {"max_length": 120},
    },
    {
        "key": "summary",
        "kind": "long_text",
        "label": {"sv": "Beskriv er lösning", "en": "Describe your solution"},
        "help_text": {
            "sv": "Hur möter den behovet? Högst 2 000 tecken.",
            "en": "How does it meet the need? At most 2,000 characters.",
        },
        "required": True,
        "config": {"max_length": 2000},
    },
    {
        "key": "sustainability",
        "kind": "long_text",
        "label": {"sv": "Hållbarhet och miljö", "en": "Sustainability and environment"},
        "config": {"max_length": 1500},
    },
    {
        "key": "price",
        "kind": "money",
        "label": {"sv": "Pris för piloten", "en": "Price of the pilot"},
        "required": True,
        "config": {"currency": "SEK", "min": "0"},
    },
    {
        "key": "municipalities",
        "kind": "multiple_choice",
        "label": {"sv": "Vilka kommuner kan ni pilota i?", "en": "In which municipalities can you pilot?"},
        "required": True,
        "config": {
            "choices": [
                {"value": "tomelilla", "label": {"sv": "Tomelilla", "en": "Tomelilla"}},
                {"value": "simrishamn", "label": {"sv": "Simrishamn", "en": "Simrishamn"}},
                {"value": "ystad", "label": {"sv": "Ystad", "en": "Ystad"}},
                {"value": "sjobo", "label": {"sv": "Sjöbo", "en": "Sjöbo"}},
            ],
            "min_selected": 1,
        },
    },
    {
        "key": "employees",
        "kind": "number",
        "label": {"sv": "Antal anställda", "en": "Number of employees"},
        "config": {"integer": True, "min": "0"},
    },
    {
        "key": "delivery",
        "kind": "date",
        "label": {"sv": "Tidigaste leverans", "en": "Earliest delivery"},
    },
    {
        "key": "reference_customer",
        "kind": "yes_no",
        "label": {
            "sv": "Har ni en referenskund i offentlig sektor?",
            "en": "Do you have a public-sector reference?",
        },
        "required": True,
    },
    {
        "key": "website",
        "kind": "url",
        "label": {"sv": "Webbplats", "en": "Website"},
    },
    {
        "key": "offer",
        "kind": "file",
        "label": {"sv": "Anbudsbilaga (PDF)", "en": "Offer annex (PDF)"},
        "config": {"extensions": ["pdf"], "max_mb": 10},
    },
    _team_group(
        {"sv": "Teamet", "en": "Team"},
        {"sv": "Namn", "en": "Name"},
        {"sv": "Roll", "en": "Role"},
        {"sv": "År av erfarenhet", "en": "Years of experience"},
        {"sv": "Offentlig profil", "en": "Public profile"},
    ),
]

SWE_CALL = {
    "lab": "innovationsupphandling-syd",
    "slug": "innovationsupphandling-2026",
    "title": {
        "sv": "Innovationsupphandling: rena golv och delade resurser",
        "en": "Innovation procurement: clean floors and shared resources",
    },
    "summary": {
        "sv": (
            "Två behov från kommunerna i Skåne går till marknaden: rena och torra golv i skolor och "
            "förskolor, och en tjänst för att låna, byta och sälja mellan kommuner."
        ),
        "en": (
            "Two needs of Skåne's municipalities go to the market: clean and dry floors in schools and "
            "pre-schools, and a service to lend, swap and sell between municipalities."
        ),
    },
    "description": {
        "sv": (
            "Innovationsupphandling Syd prövar en modell för små och medelstora kommuner. Vi söker "
            "leverantörer som vill samutveckla lösningar med kommunerna: behov, inte tekniker."
        ),
        "en": (
            "Innovationsupphandling Syd is testing a model for small and medium-sized municipalities. We "
            "are looking for suppliers who want to co-develop solutions with the municipalities: needs, "
            "not techniques."
        ),
    },
    "challenges": [FLOORS, SHARING],
    "eligible_kinds": [],
    "eligible_countries": [],
    "min_trl": None,
    "consortium_allowed": True,
    "max_preselected": 4,
    "currency": "SEK",
    "strengthening_budget": None,
    "pilot_budget": "1200000",
    "support": {
        "sv": "Designsprintar med tjänstepersoner från tre kommuner och pilotplatser i skolor.",
        "en": "Design sprints with civil servants from three municipalities and pilot sites in schools.",
    },
    "state": "closed",
    "publishes": -70,
    "deadline": -10,
    "deadline_hour": 12,
    "enquiries_close": -7,
    "evaluation_ends": 20,
    "preselection": 24,
    "strengthening": (30, 90),
    "demo_day": 95,
    "staff": "manager@innovationsupphandling-syd.example",
    "criteria": [
        {
            "name": {"sv": "Hur väl behovet möts", "en": "How well the need is met"},
            "weight": "35",
            "scale": SWE_SCALE,
        },
        {"name": {"sv": "Innovationshöjd", "en": "Degree of innovation"}, "weight": "25", "scale": SWE_SCALE},
        {
            "name": {"sv": "Hållbarhet", "en": "Sustainability"},
            "description": {
                "sv": "Miljö, arbetsmiljö för lokalvårdare och pedagoger, livslängd.",
                "en": "Environment, working conditions for cleaners and teachers, lifetime.",
            },
            "weight": "20",
            "scale": SWE_SCALE,
        },
        {
            "name": {"sv": "Genomförbarhet och pris", "en": "Feasibility and price"},
            "weight": "20",
            "scale": SWE_SCALE,
        },
    ],
    "questions": SWE_QUESTIONS,
    "enquiries": [
        {
            "asker": "golvsmart",
            "question": "Får vi besöka en förskola innan vi lämnar anbud?",
            "public_question": {
                "sv": "Går det att besöka en förskola före anbudet?",
                "en": "Can suppliers visit a pre-school before applying?",
            },
            "answer": {
                "sv": "Ja, Tomelilla kommun ordnar två visningar; anmäl er via kontaktpersonen.",
                "en": "Yes, Tomelilla municipality organises two visits; book through the contact person.",
            },
        },
        {
            "asker": "delabanken",
            "question": "Ska delningstjänsten fungera för privatpersoner också?",
            "public_question": {
                "sv": "Är delningstjänsten bara för kommunerna?",
                "en": "Is the sharing service for the municipalities only?",
            },
            "answer": {
                "sv": "I första hand för kommunernas verksamheter; föreningar kan komma i ett senare steg.",
                "en": "First for the municipalities' services; associations may follow in a later step.",
            },
        },
        {
            "asker": "entremattan",
            "question": "Which language should the offer be written in?",
            "public_question": {
                "sv": "På vilket språk ska anbudet skrivas?",
                "en": "In which language should the offer be written?",
            },
            "answer": {
                "sv": "Svenska eller engelska.",
                "en": "Swedish or English.",
            },
        },
    ],
}

# --- MiLAB: the 2025 cohort ----------------------------------------------------------------------------

MILAB_2025_CALL = {
    "lab": "milab",
    "slug": "cohorte-govtech-2025",
    "title": {
        "es": "Convocatoria de soluciones GovTech — cohorte 2025",
        "en": "Call for GovTech solutions — 2025 cohort",
    },
    "summary": {
        "es": (
            "El INVIMA, la Superintendencia de Industria y Comercio y el Fondo Nacional del Ahorro buscan "
            "start-ups y pymes para la venta ilegal de medicamentos en internet, las quejas de los "
            "consumidores y el crédito de vivienda para trabajadores informales. Hasta tres soluciones por "
            "reto pasan a fortalecimiento y piloto."
        ),
        "en": (
            "INVIMA, the Superintendence of Industry and Commerce and the National Savings Fund are looking "
            "for start-ups and SMEs for the illegal online sale of medicines, consumer complaints and "
            "housing credit for informal workers. Up to three solutions per challenge go on to "
            "strengthening and a pilot."
        ),
    },
    "description": MILAB_CALL["description"],
    "challenges": [ONLINE_SALES, COMPLAINTS, HOUSING_CREDIT],
    "eligible_kinds": ["startup", "sme", "research", "ngo", "freelancer", "student_team"],
    "eligible_countries": [],
    "min_trl": 4,
    "consortium_allowed": True,
    "max_preselected": 3,
    "currency": "COP",
    "strengthening_budget": "45000000",
    "pilot_budget": "900000000",
    "support": MILAB_CALL["support"],
    "state": "closed",
    # Calendar dates: published in February 2025, closed on 11 April 2025 at 17:00 Bogotá time.
    "publishes": dt.date(2025, 2, 3),
    "deadline": dt.date(2025, 4, 11),
    "deadline_hour": 17,
    "enquiries_close": -2,  # days before the deadline
    "evaluation_ends": dt.date(2025, 5, 2),
    "preselection": dt.date(2025, 5, 9),
    "strengthening": (dt.date(2025, 6, 2), dt.date(2025, 9, 26)),
    "demo_day": dt.date(2025, 10, 16),
    "staff": "staff@milab.example",
    "criteria": MILAB_CALL["criteria"],
    "questions": MILAB_QUESTIONS,
    "enquiries": [
        {
            "asker": "rastro-digital",
            "question": "¿El INVIMA comparte los anuncios que ya investigó para entrenar los modelos?",
            "public_question": {
                "es": "¿Hay datos para entrenar modelos en el reto de la venta ilegal en internet?",
                "en": "Are there data to train models for the illegal online sales challenge?",
            },
            "answer": {
                "es": (
                    "Sí: un año de alertas ya investigadas, con su resultado, en el ambiente del piloto. "
                    "Los datos personales de los vendedores se anonimizan."
                ),
                "en": (
                    "Yes: a year of alerts already investigated, with their outcome, in the pilot "
                    "environment. Sellers' personal data are anonymised."
                ),
            },
        },
        {
            "asker": "nido-fintech",
            "question": "¿El piloto del Fondo puede usar datos de billeteras digitales y recargas?",
            "public_question": {
                "es": "¿Qué datos alternativos puede usar el piloto del crédito de vivienda?",
                "en": "Which alternative data may the housing credit pilot use?",
            },
            "answer": {
                "es": (
                    "Los que el usuario autorice expresamente (Ley 1581 de 2012 y Ley 1266 de 2008); el "
                    "Fondo revisará el tratamiento con la Superfinanciera."
                ),
                "en": (
                    "Those the user expressly authorises (Laws 1581 of 2012 and 1266 of 2008); the Fund "
                    "will review the processing with the financial supervisor."
                ),
            },
        },
    ],
}

CALLS: list[dict] = [MILAB_CALL, LUX_CALL, SWE_CALL, MILAB_2025_CALL]
