"""The demo's challenges: the seeds' real cases, each in the state its story has reached.

``stage`` is where the demo takes the challenge through the services; the optional keys say what happens
on the way (``more_info``: the lab asks for more information first; ``decline``, ``withdraw``,
``abandon``: how it leaves; ``override``: a manager's justification at the readiness gate; ``campaign``:
False for a challenge outside the lab's current intake campaign). Amounts are in the lab's currency.
"""

from __future__ import annotations

_FULL_TEAM_ES = [
    ("legal", "Laura Sánchez", "Asesora jurídica"),
    ("innovation", "Felipe Moreno", "Líder de innovación"),
    ("technology", "Natalia Vargas", "Jefe de tecnología"),
    ("strategy", "Ricardo Díaz", "Director de planeación"),
]

CHALLENGES: list[dict] = [
    # --- MiLAB (Colombia): the three prioritised challenges of the first cohort ---------------------
    {
        "lab": "milab",
        "owner": "invima",
        "co_owners": ["minjusticia"],
        "stage": "ready_for_call",
        "priority": 1,
        "public": True,
        "sections": ["background", "affected", "outcomes", "location"],
        "title": {
            "es": "Interoperabilidad y eficiencia de los trámites de la industria del cannabis",
            "en": "Interoperability and efficiency of the cannabis industry's procedures",
        },
        "problem": {
            "es": (
                "Nuestro reto es que los trámites de licencias y registros de la industria del cannabis "
                "pasan por el Ministerio de Justicia y el INVIMA sin interoperar: los solicitantes repiten "
                "documentos en papel y cada expediente se revisa a mano."
            ),
            "en": (
                "Our challenge is that licences and registrations for the cannabis industry go through the "
                "Ministry of Justice and INVIMA without interoperating: applicants repeat paper documents "
                "and every file is checked by hand."
            ),
        },
        "background": {
            "es": (
                "La regulación del cannabis medicinal creó una industria nueva con trámites en dos "
                "entidades. Los tiempos de respuesta crecen con el número de solicitudes."
            ),
            "en": (
                "Medicinal cannabis regulation created a new industry whose procedures span two "
                "entities. Response times grow with the number of applications."
            ),
        },
        "affected": {
            "es": "Empresas licenciatarias, cultivadores y los equipos de revisión de ambas entidades.",
            "en": "Licensed companies, growers and the review teams of both entities.",
        },
        "affected_count": 1200,
        "outcomes": {
            "es": "Un expediente único, con firma digital y extracción automática de la información.",
            "en": "One file per applicant, with digital signature and automatic extraction of the data.",
        },
        "sdgs": ["sdg-16", "sdg-09"],
        "sectors": ["justice", "pharmaceuticals"],
        "technologies": ["ocr-icr", "rpa", "digital-identity", "data-analytics", "interoperability"],
        "themes": ["administrative-simplification", "citizen-services"],
        "region": "Bogotá D.C.",
        "lat": "4.609710",
        "lng": "-74.081750",
        "more_info": "¿Cuántas solicitudes reciben al año y cuántas se devuelven por documentos incompletos?",
        "technical": {
            "es": "Firma digital, OCR, RPA, HCR, ICR, OMR y analítica de datos sobre los expedientes.",
            "en": "Digital signature, OCR, RPA, HCR, ICR, OMR and data analytics on the files.",
        },
        "functionalities": {
            "es": "Radicación única, validación automática de documentos, tablero de seguimiento.",
            "en": "Single filing, automatic document checks, a tracking dashboard.",
        },
        "duration": 8,
        "cost": "780000000",
        "budget": ("850000000", "Presupuesto de inversión 2026 del Ministerio de Justicia y del Derecho"),
        "regime": 0,
        "team": _FULL_TEAM_ES,
        "pilot": {
            "es": "Ambiente de pruebas de la ventanilla del INVIMA con datos anonimizados.",
            "en": "INVIMA's test environment for its service desk, with anonymised data.",
        },
        "pilot_available": True,
        "worksheets": {
            "problem_tree": {
                "central_problem": "Trámites del cannabis lentos y sin interoperabilidad",
                "causes": ["Documentos en papel", "Sistemas sin integración", "Revisión manual"],
                "effects": ["Demoras de meses", "Empresas que abandonan el trámite"],
            },
            "five_whys": {
                "problem": "Un expediente tarda meses",
                "whys": ["Se revisa a mano", "Los datos llegan en PDF escaneado", "No hay formulario único"],
                "root_cause": "Cada entidad diseñó su trámite por separado",
            },
            "how_might_we": {
                "statements": [
                    "¿Cómo podríamos tener un único expediente para ambas entidades?",
                    "¿Cómo podríamos extraer los datos de los documentos sin digitarlos?",
                ]
            },
            "needs_analysis": {
                "needs": [
                    {"need": "Radicar una sola vez", "who": "Empresas", "priority": "Alta"},
                    {"need": "Validar documentos automáticamente", "who": "Revisores", "priority": "Alta"},
                ]
            },
        },
    },
    {
        "lab": "milab",
        "owner": "sic",
        "stage": "characterising",
        "priority": 2,
        "public": True,
        "sections": ["background", "outcomes"],
        "title": {
            "es": "Extracción automática de información de facturas de medicamentos y dispositivos médicos",
            "en": "Automatic extraction of information from medicine and medical device receipts",
        },
        "problem": {
            "es": (
                "Nuestro reto es digitalizar y automatizar la extracción de la información relevante de las "
                "facturas de medicamentos y dispositivos médicos que recibe la Superintendencia."
            ),
            "en": (
                "Our challenge is to digitise and automate the extraction of the relevant information on "
                "the receipts for medicines and health devices that the Superintendence receives."
            ),
        },
        "background": {
            "es": "El control de precios de medicamentos exige revisar miles de facturas al mes.",
            "en": "Controlling medicine prices means checking thousands of receipts every month.",
        },
        "outcomes": {
            "es": "Datos estructurados de cada factura en horas, no semanas.",
            "en": "Structured data from each receipt in hours, not weeks.",
        },
        "sdgs": ["sdg-03", "sdg-16"],
        "sectors": ["health", "public-administration"],
        "technologies": ["ocr-icr", "rpa"],
        "themes": ["data-driven-government"],
        "region": "Bogotá D.C.",
        "technical": {
            "es": "OMR, ICR y RPA sobre facturas escaneadas y electrónicas.",
            "en": "OMR, ICR and RPA on scanned and electronic receipts.",
        },
        "duration": 6,
        "regime": 1,
        "team": [
            ("legal", "Andrea Rincón", "Abogada"),
            ("technology", "Julián Torres", "Ingeniero de datos"),
        ],
        "worksheets": {
            "problem_tree": {
                "central_problem": "Revisión manual de facturas",
                "causes": ["Formatos heterogéneos", "Facturas escaneadas"],
                "effects": ["Control de precios tardío"],
            },
        },
        "incomplete_worksheets": ["problem_tree"],
    },
    {
        "lab": "milab",
        "owner": "fondo-nacional-del-ahorro",
        "stage": "accepted",
        "priority": 3,
        "public": True,
        "sections": ["outcomes"],
        "title": {
            "es": "Análisis de emociones y patrones de los usuarios para mejorar la atención",
            "en": "Analysing users' emotions and patterns to improve service",
        },
        "problem": {
            "es": (
                "Nuestro reto es identificar y analizar las emociones y patrones subjetivos de los usuarios "
                "para promover acciones que impacten positivamente la atención y la calidad del servicio."
            ),
            "en": (
                "Our challenge is to identify and analyse users' emotions and subjective patterns, to "
                "promote actions that improve the attention and quality of the Fund's services."
            ),
        },
        "outcomes": {
            "es": "Alertas tempranas de insatisfacción y mejoras medibles en la atención.",
            "en": "Early warnings of dissatisfaction and measurable improvements in service.",
        },
        "sdgs": ["sdg-10", "sdg-16"],
        "sectors": ["financial-services"],
        "technologies": ["ai-ml", "nlp"],
        "themes": ["citizen-services"],
        "accept_message": "Priorizado para la primera cohorte.",
    },
    # --- MiLAB: the 2025 cohort (call "cohorte-govtech-2025", closed, evaluated and preselected) ------
    # The seeds name three of the eight challenges MiLAB prioritised for its first cohort (above, in the
    # 2026 call); these three stand for others of the same entities, in the fields the seeds report
    # (healthtech, consumer protection, fintech). They came before the current intake campaign.
    {
        "lab": "milab",
        "owner": "invima",
        "campaign": False,
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "affected", "outcomes"],
        "title": {
            "es": "Detección de la venta ilegal de medicamentos y dispositivos médicos en internet",
            "en": "Detecting the illegal online sale of medicines and medical devices",
        },
        "problem": {
            "es": (
                "Nuestro reto es que cada semana aparecen en redes sociales y tiendas en línea cientos de "
                "anuncios de medicamentos sin registro sanitario, falsificados o de venta bajo fórmula, y "
                "el INVIMA los encuentra buscándolos a mano."
            ),
            "en": (
                "Our challenge is that every week hundreds of adverts for unregistered, counterfeit or "
                "prescription-only medicines appear on social networks and online shops, and INVIMA finds "
                "them by searching by hand."
            ),
        },
        "background": {
            "es": (
                "La venta en línea creció con la telesalud. El grupo de vigilancia revisa páginas y "
                "publicaciones una por una y llega tarde: el anuncio ya cambió de cuenta."
            ),
            "en": (
                "Online sales grew with telehealth. The surveillance team checks pages and posts one by "
                "one and arrives late: the advert has already moved to another account."
            ),
        },
        "affected": {
            "es": "Pacientes que compran en línea y el grupo de vigilancia sanitaria del INVIMA.",
            "en": "Patients who buy online and INVIMA's health surveillance team.",
        },
        "affected_count": 5000000,
        "outcomes": {
            "es": "Alertas diarias priorizadas por riesgo, con la evidencia lista para actuar.",
            "en": "Daily alerts ranked by risk, with the evidence ready for action.",
        },
        "sdgs": ["sdg-03", "sdg-16"],
        "sectors": ["pharmaceuticals", "health"],
        "technologies": ["ai-ml", "computer-vision", "data-analytics"],
        "themes": ["data-driven-government"],
        "region": "Bogotá D.C.",
        "accept_message": "Priorizado para la cohorte 2025.",
        "technical": {
            "es": "Rastreo de sitios y redes, visión por computador sobre empaques y analítica de riesgo.",
            "en": "Crawling of sites and networks, computer vision on packaging and risk analytics.",
        },
        "functionalities": {
            "es": "Búsqueda continua, cruce con el registro sanitario, tablero de alertas y evidencias.",
            "en": "Continuous search, matching with the health register, an alerts and evidence dashboard.",
        },
        "duration": 6,
        "cost": "350000000",
        "budget": ("380000000", "Presupuesto de inversión 2025 del INVIMA"),
        "regime": 0,
        "team": [
            ("legal", "Beatriz Ordóñez", "Abogada de la Dirección de Responsabilidad Sanitaria"),
            ("innovation", "Gustavo Lemus", "Líder de innovación"),
            ("technology", "Carolina Arenas", "Jefe de la Oficina de Tecnologías de la Información"),
            ("strategy", "Hernando Salcedo", "Jefe de la Oficina Asesora de Planeación"),
        ],
        "pilot": {
            "es": "Un año de alertas ya investigadas y el registro sanitario de productos en datos abiertos.",
            "en": "A year of alerts already investigated and the register of health products as open data.",
        },
        "pilot_available": True,
    },
    {
        "lab": "milab",
        "owner": "sic",
        "campaign": False,
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "outcomes"],
        "title": {
            "es": "Clasificación automática de las quejas de los consumidores",
            "en": "Automatic classification of consumer complaints",
        },
        "problem": {
            "es": (
                "Nuestro reto es que la Superintendencia recibe miles de quejas y denuncias de "
                "consumidores al mes por distintos canales y las clasifica a mano antes de saber a qué "
                "área van y cuáles son urgentes."
            ),
            "en": (
                "Our challenge is that the Superintendence receives thousands of consumer complaints a "
                "month through several channels and sorts them by hand before knowing which team they go "
                "to and which are urgent."
            ),
        },
        "background": {
            "es": "Una queja tarda semanas en llegar al grupo que puede actuar; las repetidas no se agrupan.",
            "en": "A complaint takes weeks to reach the team that can act; repeated ones are not grouped.",
        },
        "outcomes": {
            "es": "Cada queja clasificada y asignada en minutos, y los casos masivos detectados a tiempo.",
            "en": "Every complaint classified and assigned in minutes, and mass cases detected in time.",
        },
        "sdgs": ["sdg-16", "sdg-12"],
        "sectors": ["public-administration", "industry"],
        "technologies": ["nlp", "ai-ml", "rpa"],
        "themes": ["citizen-services", "administrative-simplification"],
        "region": "Bogotá D.C.",
        "accept_message": "Priorizado para la cohorte 2025.",
        "technical": {
            "es": "Lenguaje natural en español; RPA para registrar los casos en el sistema de trámites.",
            "en": "Spanish natural language processing, RPA to record cases in the case-management system.",
        },
        "functionalities": {
            "es": "Clasificación por tema y empresa, prioridad, agrupación de quejas repetidas, tablero.",
            "en": "Classification by subject and company, priority, grouping of repeated ones, a dashboard.",
        },
        "duration": 5,
        "cost": "260000000",
        "budget": ("300000000", "Presupuesto de funcionamiento 2025 de la Superintendencia"),
        "regime": 0,
        "team": [
            ("legal", "Andrea Rincón", "Abogada"),
            ("innovation", "Camilo Arango", "Coordinador del Grupo de Innovación"),
            ("technology", "Julián Torres", "Ingeniero de datos"),
            ("strategy", "Mónica Salazar", "Jefe de la Oficina Asesora de Planeación"),
        ],
        "pilot": {
            "es": "Cincuenta mil quejas anonimizadas de 2024 con su clasificación final.",
            "en": "Fifty thousand anonymised 2024 complaints with their final classification.",
        },
        "pilot_available": True,
    },
    {
        "lab": "milab",
        "owner": "fondo-nacional-del-ahorro",
        "campaign": False,
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "affected", "outcomes"],
        "title": {
            "es": "Crédito de vivienda para trabajadores independientes e informales",
            "en": "Housing credit for self-employed and informal workers",
        },
        "problem": {
            "es": (
                "Nuestro reto es que los trabajadores independientes e informales no tienen cómo demostrar "
                "sus ingresos con los documentos que pide el análisis de crédito, y la mayoría de sus "
                "solicitudes de crédito de vivienda se niegan o se abandonan."
            ),
            "en": (
                "Our challenge is that self-employed and informal workers cannot prove their income with "
                "the documents credit analysis asks for, and most of their housing credit applications are "
                "refused or abandoned."
            ),
        },
        "background": {
            "es": (
                "Casi la mitad de los ocupados del país trabaja en la informalidad. El Fondo quiere usar "
                "datos alternativos (ahorro, pagos, recargas) con las reglas del supervisor financiero."
            ),
            "en": (
                "Almost half of the country's workers are informal. The Fund wants to use alternative data "
                "(savings, payments, top-ups) within the financial supervisor's rules."
            ),
        },
        "affected": {
            "es": "Trabajadores independientes e informales que ahorran para su vivienda.",
            "en": "Self-employed and informal workers saving for a home.",
        },
        "affected_count": 300000,
        "outcomes": {
            "es": "Más créditos aprobados a independientes sin aumentar la cartera vencida.",
            "en": "More credits approved for the self-employed without more loans in arrears.",
        },
        "sdgs": ["sdg-01", "sdg-10", "sdg-11"],
        "sectors": ["financial-services", "housing-urban-planning"],
        "technologies": ["fintech", "ai-ml", "data-analytics"],
        "themes": ["inclusion", "regulatory-sandbox"],
        "region": "Bogotá D.C.",
        "accept_message": "Priorizado para la cohorte 2025.",
        "technical": {
            "es": "Modelos de riesgo explicables con datos alternativos, autorizados por el usuario.",
            "en": "Explainable risk models on alternative data, authorised by the user.",
        },
        "functionalities": {
            "es": "Perfil de ingresos, puntaje explicable, consentimiento del usuario y reportes al comité.",
            "en": "An income profile, an explainable score, the user's consent and reports to the committee.",
        },
        "duration": 7,
        "cost": "420000000",
        "budget": ("450000000", "Plan de inversión 2025 del Fondo Nacional del Ahorro"),
        "regime": 1,
        "team": [
            ("legal", "Juliana Herrera", "Abogada de contratación"),
            ("innovation", "Esteban Quintero", "Líder de experiencia del consumidor financiero"),
            ("technology", "Marcela Duarte", "Arquitecta de datos"),
            ("strategy", "Rodrigo Muñoz", "Vicepresidente de crédito"),
        ],
        "pilot": {
            "es": "Historial anonimizado de 20.000 solicitudes de independientes y de sus pagos.",
            "en": "The anonymised history of 20,000 applications by the self-employed and their repayments.",
        },
        "pilot_available": True,
    },
    # --- GovTech Lab Luxembourg ----------------------------------------------------------------------
    {
        "lab": "govtech-lab-luxembourg",
        "owner": "ctie",
        "co_owners": ["ministry-for-digitalisation-lu"],
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "outcomes", "constraints"],
        "title": {"en": "Bye bye Robots!", "fr": "Bye bye Robots !"},
        "problem": {
            "en": (
                "Our challenge is to tell computers and humans apart when people use the State's online "
                "procedures, replacing the current CTIE system with one that is simple, innovative, "
                "appealing and secure."
            ),
            "fr": (
                "Notre défi est de distinguer les ordinateurs des humains dans les démarches en ligne de "
                "l'État, en remplaçant le système actuel du CTIE par une solution simple, innovante, "
                "attrayante et sûre."
            ),
        },
        "background": {
            "en": "Automatic bots fill in forms; the current check annoys people and is not accessible.",
            "fr": "Des robots remplissent les formulaires ; le contrôle actuel gêne et n'est pas accessible.",
        },
        "outcomes": {
            "en": "A check that people hardly notice and bots cannot pass.",
            "fr": "Un contrôle que les humains remarquent à peine et que les robots ne passent pas.",
        },
        "constraints": {
            "en": "Must meet the State's security standards and WCAG 2.1 AA.",
            "fr": "Doit respecter les normes de sécurité de l'État et le RGAA / WCAG 2.1 AA.",
        },
        "sdgs": ["sdg-16", "sdg-09"],
        "sectors": ["digital-government"],
        "technologies": ["cybersecurity", "ai-ml"],
        "themes": ["citizen-services", "inclusion"],
        "technical": {
            "en": "Invisible challenge-response, risk scoring, accessible fallback.",
            "fr": "Défi invisible, score de risque, alternative accessible.",
        },
        "functionalities": {
            "en": "Integrates with MyGuichet.lu forms; no personal data leaves the State.",
            "fr": "S'intègre aux formulaires MyGuichet.lu ; aucune donnée personnelle ne sort de l'État.",
        },
        "duration": 6,
        "cost": "120000",
        "budget": ("150000", "Budget 2026 du ministère de la Digitalisation"),
        "regime": 0,
        "team": [
            ("legal", "Anne Muller", "Juriste"),
            ("innovation", "Tom Hoffmann", "GovTech Lab"),
            ("technology", "Paul Wagner", "Architecte CTIE"),
            ("strategy", "Sarah Klein", "Ministère de la Digitalisation"),
        ],
        "pilot_available": True,
        "worksheets": {
            "problem_tree": {
                "central_problem": "Bots in online procedures",
                "causes": ["Old captcha", "Automated attacks"],
                "effects": ["Spam requests", "Frustrated citizens"],
            },
            "persona": {
                "name": "Marie, 67",
                "profile": "Files her pension papers online, uses a screen magnifier.",
                "pain_points": ["Distorted letters she cannot read"],
            },
            "how_might_we": {"statements": ["How might we stop bots without stopping people?"]},
            "needs_analysis": {
                "needs": [{"need": "Accessible check", "who": "Citizens", "priority": "High"}],
            },
        },
    },
    # --- Innovationsupphandling Syd (Tomelilla and neighbours): the nine needs ---------------------
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "characterising",
        "public": True,
        "title": {"sv": "Ökat samutnyttjande", "en": "More shared use of public resources"},
        "problem": {
            "sv": "Vår utmaning är att kommunens resurser står oanvända stora delar av tiden.",
            "en": "Our challenge is that the municipality's resources stand unused much of the time.",
        },
        "sdgs": ["sdg-11", "sdg-12"],
        "sectors": ["public-administration"],
        "themes": ["resource-sharing", "circular-economy"],
        "technical": {
            "sv": "Bokningsbar inventering av resurser.",
            "en": "A bookable inventory of resources.",
        },
        "regime": 0,
        "team": [("innovation", "Stefan Persson", "Strategisk utvecklare")],
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "more_info_requested",
        "title": {"sv": "Samutnyttjade lokaler", "en": "Shared use of premises"},
        "problem": {
            "sv": "Vår utmaning är att skolor och samlingslokaler används några timmar om dagen.",
            "en": "Our challenge is that schools and community halls are used only a few hours a day.",
        },
        "sdgs": ["sdg-11"],
        "sectors": ["housing-urban-planning"],
        "themes": ["resource-sharing"],
        "more_info": "Vilka lokaler gäller det och hur bokas de i dag?",
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "in_screening",
        "title": {"sv": "Privat mark win-win-win", "en": "Private land: win-win-win"},
        "problem": {
            "sv": "Vår utmaning är att privat mark kunde användas för allmänna behov till nytta för alla.",
            "en": "Our challenge is that private land could serve public needs, to everyone's benefit.",
        },
        "sdgs": ["sdg-11", "sdg-15"],
        "sectors": ["housing-urban-planning"],
        "assessments": ["met", "unknown", "unknown", "met", "not_met"],
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "declined",
        "title": {
            "sv": "Affärsmodell för omhändertagande av överskottsenergi inom industriområde",
            "en": "A business model for surplus energy in an industrial area",
        },
        "problem": {
            "sv": "Vår utmaning är att överskottsvärme från industriområdet går förlorad.",
            "en": "Our challenge is that surplus heat from the industrial area is lost.",
        },
        "sdgs": ["sdg-07", "sdg-13"],
        "sectors": ["energy"],
        "themes": ["energy-transition"],
        "assessments": ["met", "not_met", "not_met", "unknown", "unknown"],
        "decline": (
            "legal_regime_unknown",
            "Det är oklart vilka regler som gäller för kommunens roll i energiförsäljning.",
        ),
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "accepted",
        "public": True,
        "title": {
            "sv": "Delningstjänst för lokala transporter, boende och LSS",
            "en": "A sharing service for local transport, housing and disability support",
        },
        "problem": {
            "sv": "Vår utmaning är att kommunens fordon och resor inom omsorgen samordnas dåligt.",
            "en": "Our challenge is that the municipality's vehicles and care trips are poorly coordinated.",
        },
        "sdgs": ["sdg-11", "sdg-10"],
        "sectors": ["mobility", "social-services"],
        "themes": ["resource-sharing", "inclusion"],
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "co_owners": ["ystads-kommun"],
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "outcomes"],
        "title": {"sv": "Rena och torra golv", "en": "Clean and dry floors in schools and pre-schools"},
        "problem": {
            "sv": "Vår utmaning är att smuts och väta bärs in i skolor och förskolor, särskilt vintertid.",
            "en": "Our challenge is that dirt and water are carried into schools and pre-schools in winter.",
        },
        "background": {
            "sv": "Städning tar tid från pedagogerna och barnen sitter och leker på golvet.",
            "en": "Cleaning takes teachers' time, and the children sit and play on the floor.",
        },
        "outcomes": {
            "sv": "Torrare och renare golv med mindre städtid.",
            "en": "Drier, cleaner floors with less cleaning time.",
        },
        "sdgs": ["sdg-04", "sdg-03"],
        "sectors": ["education"],
        "themes": ["innovation-procurement"],
        "technical": {"sv": "Entrélösningar och material.", "en": "Entrance solutions and materials."},
        "functionalities": {
            "sv": "Fånga smuts och väta vid entrén.",
            "en": "Catch dirt and water at the door.",
        },
        "duration": 12,
        "cost": "900000",
        "budget": ("1000000", "Tomelilla kommuns investeringsbudget 2026"),
        "regime": 0,
        "team": [
            ("legal", "Eva Nilsson", "Upphandlare"),
            ("innovation", "Stefan Persson", "Strategisk utvecklare"),
            ("technology", "Per Andersson", "Fastighetstekniker"),
            ("strategy", "Karin Berg", "Förskolechef"),
        ],
        "pilot_available": True,
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "submitted",
        "title": {
            "sv": "Lärprocess för artificiell intelligens och snabbare införande",
            "en": "A learning process for artificial intelligence and faster adoption",
        },
        "problem": {
            "sv": (
                "Vår utmaning är att vi inte vet hur vi ska pröva AI i kommunens tjänster på ett tryggt sätt."
            ),
            "en": "Our challenge is that we do not know how to try AI safely in the municipality's services.",
        },
        "sdgs": ["sdg-09"],
        "sectors": ["public-administration"],
        "technologies": ["ai-ml"],
        "themes": ["capacity-building"],
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "stage": "draft",
        "title": {"sv": "Augmented reality i stadsplanering", "en": "Augmented reality in city planning"},
        "problem": {
            "sv": "Vår utmaning är att medborgarna har svårt att föreställa sig nya detaljplaner.",
            "en": "Our challenge is that citizens find it hard to picture new local plans.",
        },
        "sectors": ["housing-urban-planning"],
        "technologies": ["ar-vr"],
    },
    {
        "lab": "innovationsupphandling-syd",
        "owner": "tomelilla-kommun",
        "co_owners": ["simrishamns-kommun", "ystads-kommun", "sjobo-kommun"],
        "stage": "ready_for_call",
        "public": True,
        "sections": ["outcomes"],
        "title": {
            "sv": "Delningstjänst för att låna, byta och sälja mellan kommuner",
            "en": "A service to lend, swap and sell between municipalities",
        },
        "problem": {
            "sv": (
                "Vår utmaning är att möbler och utrustning slängs i en kommun medan grannkommunen köper nytt."
            ),
            "en": (
                "Our challenge is that furniture is thrown away in one municipality while the next buys new."
            ),
        },
        "outcomes": {
            "sv": "En gemensam plattform för att dela resurser i fyra kommuner.",
            "en": "One platform for sharing resources across four municipalities.",
        },
        "sdgs": ["sdg-12", "sdg-17"],
        "sectors": ["public-administration", "waste-management"],
        "themes": ["resource-sharing", "circular-economy"],
        "technical": {"sv": "Webbplattform med inventarier.", "en": "A web platform with inventories."},
        "functionalities": {"sv": "Annonsera, boka, hämta.", "en": "List, book, collect."},
        "duration": 9,
        "cost": "600000",
        "budget": ("650000", "Gemensam budget för fyra kommuner"),
        "regime": 0,
        "team": [
            ("legal", "Eva Nilsson", "Upphandlare"),
            ("innovation", "Stefan Persson", "Strategisk utvecklare"),
            ("technology", "Johan Lind", "IT-strateg"),
            ("strategy", "Maria Ek", "Kommundirektör"),
        ],
        "pilot_available": True,
    },
    # --- LabX (Portugal): life events --------------------------------------------------------------
    {
        "lab": "labx",
        "owner": "ama",
        "stage": "characterising",
        "public": True,
        "sections": ["affected"],
        "title": {
            "pt": "Aos 18: os serviços da maioridade num só sítio",
            "en": "At 18: coming-of-age services",
        },
        "problem": {
            "pt": (
                "O nosso desafio é que aos 18 anos os jovens têm de tratar de vários serviços sem os "
                "conhecer."
            ),
            "en": "Our challenge is that at 18 young people must deal with many services they do not know.",
        },
        "affected": {"pt": "Cerca de 100 000 jovens por ano.", "en": "About 100,000 young people a year."},
        "affected_count": 100000,
        "sdgs": ["sdg-16", "sdg-04"],
        "sectors": ["public-administration", "sport-youth"],
        "themes": ["life-events", "citizen-services"],
        "technical": {"pt": "Balcão digital integrado.", "en": "An integrated digital desk."},
        "functionalities": {
            "pt": "Lembretes e pedidos num só passo.",
            "en": "Reminders and one-step requests.",
        },
        "duration": 10,
        "regime": 0,
        "team": [("innovation", "Joana Pires", "LabX"), ("technology", "Miguel Costa", "AMA")],
        "worksheets": {
            "user_journey": {
                "persona": "Inês, 18",
                "steps": [
                    {"stage": "Cartão de cidadão", "action": "Renovar", "pain_point": "Não sabe onde"},
                    {"stage": "Recenseamento", "action": "Votar pela primeira vez"},
                ],
            },
        },
        "incomplete_worksheets": ["user_journey"],
    },
    {
        "lab": "labx",
        "owner": "instituto-da-seguranca-social",
        "co_owners": ["ama"],
        "stage": "ready_for_call",
        "public": True,
        "sections": ["background", "outcomes"],
        "title": {"pt": "Balcão Perdi um Familiar", "en": "Bereavement desk: one place after a death"},
        "problem": {
            "pt": (
                "O nosso desafio é que, depois da morte de um familiar, as pessoas têm de repetir a mesma "
                "informação a muitas entidades num momento difícil."
            ),
            "en": (
                "Our challenge is that after a relative dies, people must repeat the same information to "
                "many bodies at a hard time."
            ),
        },
        "background": {
            "pt": "Testado num balcão de living lab com cidadãos reais.",
            "en": "Tested at a living-lab counter with real citizens.",
        },
        "outcomes": {
            "pt": "Um só atendimento para pensões, heranças e registos.",
            "en": "One service for pensions, inheritance and registrations.",
        },
        "sdgs": ["sdg-16", "sdg-10"],
        "sectors": ["social-services"],
        "technologies": ["interoperability", "service-design"],
        "themes": ["life-events", "administrative-simplification"],
        "technical": {"pt": "Partilha de dados entre serviços.", "en": "Data sharing between services."},
        "functionalities": {"pt": "Pedido único, acompanhamento.", "en": "Single request, tracking."},
        "duration": 12,
        "cost": "250000",
        "budget": ("300000", "Programa Simplex"),
        "regime": 0,
        "team": [
            ("legal", "Sofia Martins", "Jurista"),
            ("innovation", "Joana Pires", "LabX"),
            ("technology", "Miguel Costa", "AMA"),
            ("strategy", "Pedro Silva", "Segurança Social"),
        ],
        "pilot_available": True,
    },
    {
        "lab": "labx",
        "owner": "direcao-geral-da-educacao",
        "stage": "accepted",
        "public": True,
        "title": {"pt": "Educação para a Cidadania, em jogo", "en": "Education for citizenship, as a game"},
        "problem": {
            "pt": "O nosso desafio é tornar a educação para a cidadania apelativa para os alunos.",
            "en": "Our challenge is to make citizenship education appealing to pupils.",
        },
        "sdgs": ["sdg-04", "sdg-16"],
        "sectors": ["education"],
        "themes": ["inclusion"],
    },
    # --- GovBuys Innovation (Belgium): the 112 emergency number ------------------------------------
    {
        "lab": "govbuys-innovation",
        "owner": "fps-interior-112",
        "stage": "ready_for_call",
        "override": (
            "Le budget est inscrit à l'ajustement budgétaire de juin ; le test peut commencer avec un "
            "budget limité avant la confirmation."
        ),
        "public": True,
        "sections": ["background", "outcomes", "constraints"],
        "title": {
            "fr": "112 : prioriser les appels selon leur gravité",
            "en": "112: prioritise emergency calls by severity",
        },
        "problem": {
            "fr": (
                "Notre défi est de prioriser les appels au 112 selon leur gravité en comprenant la "
                "situation de l'appelant dès les premières secondes."
            ),
            "en": (
                "Our challenge is to prioritise 112 calls by severity, understanding the caller's "
                "situation in the first seconds."
            ),
        },
        "background": {
            "fr": "Aux heures de pointe, les appels urgents attendent derrière les appels non urgents.",
            "en": "At peak times, urgent calls wait behind non-urgent ones.",
        },
        "outcomes": {
            "fr": "Les appels vitaux traités en premier.",
            "en": "Life-threatening calls handled first.",
        },
        "constraints": {
            "fr": "Données sensibles ; décision finale toujours humaine.",
            "en": "Sensitive data; the final decision stays human.",
        },
        "sdgs": ["sdg-03", "sdg-16"],
        "sectors": ["security-emergency"],
        "technologies": ["nlp", "ai-ml"],
        "themes": ["citizen-services"],
        "technical": {"fr": "Analyse de la parole en temps réel.", "en": "Real-time speech analysis."},
        "functionalities": {
            "fr": "Score de gravité pour l'opérateur.",
            "en": "A severity score for the operator.",
        },
        "duration": 6,
        "cost": "80000",
        "regime": 0,
        "team": [
            ("legal", "Julie Peeters", "Juriste"),
            ("innovation", "Thomas Dubois", "Nido"),
            ("technology", "Koen Janssens", "Centre 112"),
            ("strategy", "Isabelle Maes", "SPF Intérieur"),
        ],
        "pilot_available": True,
    },
    # --- Partnership for Change (Slovenia) ---------------------------------------------------------
    {
        "lab": "partnership-for-change",
        "owner": "ministry-of-public-administration-si",
        "stage": "accepted",
        "public": True,
        "title": {"en": "E-invoices in schools and kindergartens"},
        "problem": {
            "en": "Our challenge is that schools and kindergartens still handle paper invoices.",
        },
        "sdgs": ["sdg-12", "sdg-04"],
        "sectors": ["education", "public-finance"],
        "themes": ["administrative-simplification"],
    },
    {
        "lab": "partnership-for-change",
        "owner": "financna-uprava-rs",
        "stage": "abandoned",
        "title": {"en": "An e-taxes application for businesses"},
        "problem": {
            "en": "Our challenge is that businesses find the e-taxes service hard to use.",
        },
        "sdgs": ["sdg-08"],
        "sectors": ["tax"],
        "technologies": ["mobile"],
        "abandon": "The design is continued in the financial administration's own hackathons.",
    },
    {
        "lab": "partnership-for-change",
        "owner": "zavod-za-zaposlovanje-si",
        "stage": "submitted",
        "title": {"en": "Matching students' skills with the labour market"},
        "problem": {
            "en": "Our challenge is that students' skills do not match what employers look for.",
        },
        "sdgs": ["sdg-04", "sdg-08"],
        "sectors": ["employment"],
        "themes": ["inclusion"],
    },
    # --- UNDP Accelerator Lab Paraguay: the learning plan -------------------------------------------
    {
        "lab": "acclab-paraguay",
        "owner": "unidad-de-gestion-presidencial",
        "co_owners": ["conacyt-paraguay"],
        "stage": "in_screening",
        "title": {
            "es": "Capacidades para la innovación en el sector público",
            "en": "Capacities for innovation in the public sector",
        },
        "problem": {
            "es": (
                "Nuestro reto es mejorar las capacidades de innovación del sector público en el diseño de "
                "políticas y en la prestación de servicios a la ciudadanía."
            ),
            "en": (
                "Our challenge is to improve the public sector's capacities for innovation in policy "
                "design and in delivering services to citizens."
            ),
        },
        "evidence": {
            "es": "Entre el 20 % y el 40 % del personal conoce y practica habilidades de innovación.",
            "en": "Between 20% and 40% of staff know and practise key innovation skills.",
        },
        "sdgs": ["sdg-09", "sdg-16", "sdg-17"],
        "sectors": ["public-administration"],
        "themes": ["co-creation", "public-sector-innovation", "capacity-building"],
        "lat": "-23.227519",
        "lng": "-58.398423",
        "assessments": ["met", "unknown", "met", "met", "unknown"],
    },
    {
        "lab": "acclab-paraguay",
        "owner": "municipalidad-san-juan-nepomuceno",
        "stage": "characterising",
        "public": True,
        "sections": ["location"],
        "title": {"es": "Comida para todos", "en": "Food for All"},
        "problem": {
            "es": (
                "Nuestro reto es que las familias de San Juan Nepomuceno accedan a alimentos nutritivos "
                "de la feria agrícola local liderada por mujeres."
            ),
            "en": (
                "Our challenge is that families in San Juan Nepomuceno get nutritious food from the local "
                "agricultural fair led by women."
            ),
        },
        "sdgs": ["sdg-02", "sdg-05"],
        "sectors": ["agriculture"],
        "themes": ["food-security", "gender-equality", "rural-development"],
        "region": "Caazapá",
        "budget": ("150000000", "Fondo municipal y cooperación del PNUD"),
        "regime": 0,
    },
    {
        "lab": "acclab-paraguay",
        "owner": "unidad-de-gestion-presidencial",
        "stage": "withdrawn",
        "title": {"es": "Producción flexible", "en": "Flexible Production"},
        "problem": {
            "es": (
                "Nuestro reto es que los talleres de confección no se coordinan para responder con "
                "flexibilidad a los pedidos."
            ),
            "en": "Our challenge is that garment workshops do not coordinate to answer orders flexibly.",
        },
        "sdgs": ["sdg-08", "sdg-09"],
        "sectors": ["industry"],
        "themes": ["productive-development"],
        "withdraw": "El piloto continúa con el Ministerio de Industria fuera de esta convocatoria.",
    },
]
