"""The demo's evaluations: the panels, reviews, consensus, preselection and feedback of the closed calls.

``EVALUATIONS`` has one entry per closed demo call (govlab/calls/demo_data/calls.py): its panel (existing
demo people found by e-mail, new ones created with the demo password), the conflict of interest one
evaluator declares, and per application (by the applying organisation's slug) three reviews — the
scores by criterion in the call's criteria order, on its scale — with comments, then the lab's decision
and its reason. govlab/evaluation/demo.py loads them through the evaluation services.

MiLAB's 2026 call is open when the demo is loaded (people can try applying), so it has no evaluation yet;
its 2025 cohort call (closed in April 2025) has been evaluated and preselected.
"""

from __future__ import annotations

# Panel members: e-mail, full name, language, evaluator role, lab role to add (None: none), expertise codes.
LUX_PANEL = [
    (
        "manager@govtech-lab-luxembourg.example",
        "Claire Weber",
        "fr",
        "lab_staff",
        None,
        ["digital-government"],
    ),
    ("entity@govtech-lab-luxembourg.example", "Luc Schmit", "fr", "entity_official", None, ["cybersecurity"]),
    (
        "evaluator@govtech-lab-luxembourg.example",
        "Dr. Anne Reuter",
        "en",
        "external_expert",
        "evaluator",
        ["cybersecurity", "ai-ml"],
    ),
    (
        "accessibility@govtech-lab-luxembourg.example",
        "Tiago Ferreira",
        "en",
        "external_expert",
        "evaluator",
        ["service-design", "digital-government"],
    ),
]
SWE_PANEL = [
    ("manager@innovationsupphandling-syd.example", "Karin Lindqvist", "sv", "lab_staff", None, ["education"]),
    ("entity@innovationsupphandling-syd.example", "Stefan Persson", "sv", "entity_official", None, []),
    (
        "evaluator@innovationsupphandling-syd.example",
        "Elin Johansson",
        "sv",
        "external_expert",
        "evaluator",
        ["education", "public-administration", "waste-management"],
    ),
]


MILAB_PANEL = [
    ("staff@milab.example", "Andrés Gómez", "es", "lab_staff", None, ["digital-government"]),
    (
        "evaluator@milab.example",
        "Luisa Fernanda Ortiz",
        "es",
        "external_expert",
        None,
        ["ai-ml", "nlp", "data-analytics"],
    ),
    (
        "evaluadora.fintech@milab.example",
        "Gloria Valencia",
        "es",
        "external_expert",
        "evaluator",
        ["financial-services", "fintech", "health"],
    ),
]


def _app(scores, comments, strengths, weaknesses, decision, reviews=None) -> dict:
    """One application's evaluation: three reviews' scores (per criterion), a comment per criterion (each
    reviewer comments on a third of them), each reviewer's strengths and weaknesses, and the decision:
    (selected, reason category, reason). ``reviews`` replaces the shared texts review by review."""
    return {
        "scores": scores,
        "comments": comments,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "decision": decision,
        "reviews": reviews,
    }


# --- GovTech Lab Luxembourg: Bye bye Robots! ---------------------------------------------------------------
# Criteria: innovation and user appeal (30), security (25), accessibility and simplicity (20),
# integration with MyGuichet.lu (15), team (10); levels 1 (poor) to 5 (outstanding).

LUX_APPLICATIONS = {
    "humancheck": _app(
        [[5, 4, 4, 4, 4], [4, 5, 4, 4, 4], [5, 4, 3, 5, 4]],
        [
            "No puzzle at all for people: the check disappears from the user's path.",
            "Risk score plus proof-of-work makes mass automation expensive; hosted at the CTIE.",
            "The fallback for doubtful cases is a short text question, to be tested with screen readers.",
            "A script tag and a server-side check: fits the MyGuichet.lu form engine as it is.",
            "A small team, but with eleven years of security work behind its co-founder.",
        ],
        [
            "Invisible for almost everyone, and the pilot could start within weeks.",
            "Strong security design with no personal data leaving the State.",
            "Simple integration and a realistic price for the pilot.",
        ],
        [
            "The accessible fallback is described in one sentence only.",
            "Two people for development, support and the pilot is thin.",
            "The risk thresholds will need tuning with real traffic.",
        ],
        (
            True,
            "selected_top_score",
            "Best scored by the panel on innovation and security, with an easy integration.",
        ),
    ),
    "lis-research-group": _app(
        [[4, 4, 3, 3, 4], [4, 3, 3, 3, 5], [4, 4, 3, 2, 4]],
        [
            "Behavioural biometrics are a genuinely new approach for a public portal.",
            "Hard for scripts to imitate, but the models must be protected against replay.",
            "Nothing for the user to do; people with motor impairments may type unusually: to be tested.",
            "The integration relies on the partner and is not yet specified.",
            "A strong research team with a clear scientific record.",
        ],
        [
            "Original research with a credible scientific basis.",
            "No personal data are stored, by design.",
            "A partner for integrating it in the forms is already on board.",
        ],
        [
            "Still a research prototype: the path to production is vague.",
            "False positives for people with disabilities are not addressed.",
            "The integration work is left to the partner without a plan.",
        ],
        (
            False,
            "lower_score",
            "Ranked fifth: promising research, but further from a pilot than those selected.",
        ),
    ),
    "formulaire-intelligent": _app(
        [[4, 4, 5, 4, 3], [4, 3, 5, 4, 3], [3, 4, 4, 5, 3]],
        [
            "Asks a question only when in doubt: most people never see it.",
            "Speed and field order are weak signals on their own; the combination is reasonable.",
            "The control question is plain text, in four languages, and works with a keyboard only.",
            "Built on the same form components as MyGuichet.lu: very little to integrate.",
            "A founder with nine years of experience in public forms; a small team.",
        ],
        [
            "The most accessible of the automatic solutions.",
            "Designed for public forms from the start.",
            "Clear, modest price.",
        ],
        [
            "The detection signals could be learnt by a determined attacker.",
            "A one-person company: continuity is a risk.",
            "Little evidence from production use yet.",
        ],
        (True, "selected_top_score", "Second best scored: very accessible and simple to integrate."),
    ),
    "team-captchaless": _app(
        [[5, 4, 4, 3, 2], [2, 1, 2, 2, 2], [4, 3, 3, 3, 2]],
        [],
        [],
        [],
        (
            False,
            "lower_score",
            "The panel found the proof-of-work too costly on old phones and weak against attackers with "
            "servers; after discussion it ranked sixth.",
        ),
        reviews=[
            {
                "comments": [
                    "Truly invisible: the work is done while the user types.",
                    "Proof-of-work raises the cost of every automated submission.",
                    "Nothing to see or hear, so nothing to make accessible.",
                    "A small script; the server check still has to be written.",
                    "A student team, enthusiastic but with little experience.",
                ],
                "strengths": "The most elegant idea of the call, and very cheap.",
                "weaknesses": "The team has never run a service in production.",
                "recommendation": "strong_yes",
                "confidence": 3,
            },
            {
                "comments": [
                    "Proof-of-work captchas exist already; nothing new here.",
                    "Attackers with servers solve the puzzle faster than citizens' phones: it stops nobody.",
                    "On a five-year-old phone the computation takes seconds and drains the battery.",
                    "No plan for the CTIE's hosting or for monitoring.",
                    "No experience with public services or security.",
                ],
                "strengths": "Cheap and easy to try.",
                "weaknesses": "It penalises people with old devices and barely slows professional bots.",
                "recommendation": "strong_no",
                "confidence": 5,
            },
            {
                "comments": [
                    "A nice idea, though not a new one.",
                    "Useful against simple bots, not against determined ones.",
                    "The delay on slow devices must be measured.",
                    "Integration looks simple but is not described.",
                    "A motivated team that would need coaching.",
                ],
                "strengths": "Low cost and invisible for most people.",
                "weaknesses": "Security against serious attackers is not demonstrated.",
                "recommendation": "unsure",
                "confidence": 3,
            },
        ],
    ),
    "marc-feltgen-accessibility": _app(
        [[3, 3, 5, 3, 3], [3, 4, 5, 4, 3], [4, 3, 5, 3, 3]],
        [
            "Less new technically, but the user research with blind people is exemplary.",
            "Relies on the existing bot detection; adds little security on its own.",
            "Tested with blind and partially sighted users: the best accessibility of all applications.",
            "Can be added to the forms as an alternative path.",
            "A single consultant with long experience in accessibility.",
        ],
        [
            "Outstanding accessibility, tested with the people concerned.",
            "Fills the gap the other solutions leave open.",
            "Low price.",
        ],
        [
            "Not a complete answer to bots by itself.",
            "One person only.",
            "Security depends on another component.",
        ],
        (
            True,
            "selected_fit",
            "Third best scored, and the accessible alternative the challenge asks for: it complements "
            "the other two.",
        ),
    ),
    "trustmark-security": _app(
        [[3, 5, 3, 4, 5], [3, 5, 2, 4, 5], [2, 5, 3, 3, 4]],
        [
            "A mature commercial product rather than an innovation.",
            "The strongest security of all applications: edge scoring, no third-party cookies.",
            "The challenge page shown in doubt is an image puzzle: not accessible.",
            "Standard integration at the edge; the CTIE's network team must be involved.",
            "An experienced team with references in other administrations.",
        ],
        [
            "Proven security at scale.",
            "Hosted in the EU with no third-party cookies.",
            "Experienced team with public references.",
        ],
        [
            "The fallback puzzle is not accessible (WCAG 2.1 AA).",
            "Hosting in an EU cloud rather than at the CTIE.",
            "The price takes almost the whole pilot budget.",
        ],
        (
            False,
            "cost",
            "Fourth by score; its price takes almost the whole pilot budget, its fallback is not accessible.",
        ),
    ),
}

# --- Innovationsupphandling Syd ----------------------------------------------------------------------------
# Criteria: how well the need is met (35), degree of innovation (25), sustainability (20), feasibility and
# price (20); levels 0 (not met) to 3 (exceeded).

SWE_APPLICATIONS = {
    "golvsmart": _app(
        [[3, 2, 2, 2], [3, 3, 2, 2], [2, 2, 3, 2]],
        [
            "Fångar smuts och vatten vid entrén och larmar innan mattan är mättad.",
            "Sensorerna i mattorna är nya för skolmiljö.",
            "Mattorna tvättas och återanvänds; mindre kemikalier i lokalvården.",
            "Referenskund finns och leverans inom 30 dagar.",
        ],
        ["Svarar direkt på behovet.", "Bra idé med larm vid mättad matta.", "Tydlig plan för återbruk."],
        [
            "Kostnaden för sensorerna över tid är oklar.",
            "Batteribyten nämns inte.",
            "Kräver att någon agerar på larmen.",
        ],
        (
            True,
            "selected_top_score",
            "Högst poäng för utmaningen: möter behovet vid entrén och kan pilotas direkt.",
        ),
    ),
    "entremattan": _app(
        [[3, 1, 2, 2], [2, 1, 3, 2], [3, 1, 2, 3]],
        [
            "En beprövad trestegslösning som tar bort det mesta av smutsen.",
            "Lite nytt: känd teknik.",
            "Svensktillverkat med utbytbara delar och lång livslängd.",
            "Stor leverantör med erfarenhet av kommuner.",
        ],
        ["Beprövad och robust.", "Lång livslängd.", "Kan levereras till alla fyra kommunerna."],
        ["Låg innovationshöjd.", "Kräver ombyggnad av vissa entréer.", "Högst pris bland lösningarna."],
        (True, "selected_fit", "Näst högst poäng; en robust lösning som kompletterar de mer nyskapande."),
    ),
    "materiallabbet": _app(
        [[2, 3, 3, 1], [2, 3, 2, 1], [1, 3, 3, 1]],
        [
            "Angriper problemet på golvet snarare än vid dörren.",
            "En ny smutsavvisande yta: den mest nyskapande idén.",
            "Vattenbaserad och fri från fluorerade ämnen.",
            "Bara testad i labb; beständigheten i en förskola är obevisad.",
        ],
        ["Hög innovationshöjd.", "Miljövänlig.", "Forskargrupp med stark kompetens."],
        ["Inte testad i verklig miljö.", "Oklart hur länge ytan håller.", "Liten organisation för leverans."],
        (
            True,
            "selected_fit",
            "Tredje högst poäng och den mest nyskapande lösningen; värd en pilot i två förskolor.",
        ),
    ),
    "sprintverket": _app(
        [[1, 2, 1, 2], [1, 1, 1, 2], [2, 2, 1, 1]],
        [
            "En designsprint ger kunskap men ingen lösning att pröva.",
            "Metoden är bra men inte ny.",
            "Hållbarhet beskrivs inte.",
            "Snabb start och rimligt pris.",
        ],
        ["Involverar pedagoger och barn.", "Snabb att starta.", "Lågt pris."],
        ["Levererar ingen produkt.", "Saknar hållbarhetsperspektiv.", "Resultatet är svårt att upphandla."],
        (
            False,
            "out_of_scope",
            "En metod snarare än en lösning att pilota; utmaningen efterfrågar en lösning.",
        ),
    ),
    "delabanken": _app(
        [[3, 2, 3, 2], [3, 3, 2, 2], [3, 2, 2, 3]],
        [
            "En gemensam katalog för saker och lokaler: precis vad kommunerna bad om.",
            "Bokning, annonsering och hämtning i samma tjänst.",
            "Varje delad sak ersätter i snitt tre nya inköp.",
            "Erfaret team och leverans inom 45 dagar.",
        ],
        ["Täcker hela behovet.", "Tydlig miljönytta.", "Alla fyra kommunerna kan vara med från start."],
        [
            "Högst pris i utmaningen.",
            "Integrationen med ekonomisystemen är inte beskriven.",
            "Kräver en förvaltare per kommun.",
        ],
        (True, "selected_top_score", "Högst poäng: täcker hela behovet för alla fyra kommunerna."),
    ),
    "lokalnyttan": _app(
        [[2, 2, 1, 3], [2, 1, 2, 3], [3, 2, 1, 2]],
        [
            "Bygger på en bokningsapp som redan används: snabbt att komma igång.",
            "Utökningen med lån och byten är ny.",
            "Hållbarheten beskrivs knapphändigt.",
            "Redan i drift i två av kommunerna.",
        ],
        ["Redan i drift.", "Låg tröskel för användarna.", "Rimligt pris."],
        ["Mest inriktad på lokaler.", "Svag hållbarhetsbeskrivning.", "Litet företag."],
        (True, "selected_top_score", "Näst högst poäng och redan i drift i två av kommunerna."),
    ),
    "delningsforeningen": _app(
        [[2, 2, 3, 1], [2, 1, 3, 2], [1, 2, 3, 1]],
        [
            "Utlåningsställen som utlämningspunkter löser den sista biten.",
            "Ett nytt samarbete mellan ideell och offentlig sektor.",
            "Återbruk och lokala arbetstillfällen: starkt hållbarhetsbidrag.",
            "Ideell drift gör leveransen osäker.",
        ],
        ["Starkt hållbarhetsbidrag.", "Lokal förankring.", "Lägst pris."],
        ["Ingen digital tjänst att boka i.", "Osäker kapacitet.", "Bara två kommuner."],
        (False, "lower_score", "Tredje plats: stark hållbarhet, men ingen komplett tjänst för kommunerna."),
    ),
    "samakning-osterlen": _app(
        [[1, 2, 2, 1], [2, 2, 1, 1], [1, 1, 2, 2]],
        [
            "Löser transporten men inte själva delandet.",
            "Att samordna med befintliga resor är en ny idé.",
            "Färre körningar ger mindre utsläpp.",
            "Litet team och ingen referenskund.",
        ],
        [
            "Smart användning av resor som redan finns.",
            "Miljönytta.",
            "Kan kombineras med en delningstjänst.",
        ],
        ["Svarar bara på en del av behovet.", "Ingen referenskund.", "Beroende av andras tjänster."],
        (False, "out_of_scope", "Löser transporten men inte delandet som utmaningen handlar om."),
    ),
}

# --- MiLAB: the 2025 cohort ---------------------------------------------------------------------------------
# Criteria: fit with the challenge (30), innovation and emerging technologies (25), maturity (TRL) and pilot
# feasibility (20), the team's capacity (15), business model and scalability (10); levels 0 (not met) to
# 4 (excellent). At most three preselected per challenge (MiLAB's rule).

MILAB_2025_APPLICATIONS = {
    # Illegal online sale of medicines (INVIMA)
    "rastro-digital": _app(
        [[4, 4, 3, 3, 3], [4, 3, 4, 3, 3], [3, 4, 3, 3, 4]],
        [
            "Responde a todo el reto: búsqueda continua, cruce con el registro sanitario y evidencia.",
            "Combina visión por computador sobre los empaques con analítica de cuentas relacionadas.",
            "Ya opera para dos marcas privadas; el piloto puede empezar con los datos del INVIMA.",
            "Equipo pequeño pero completo, con experiencia en fraude en línea.",
            "Modelo de suscripción por fuentes vigiladas; puede servir a otras autoridades sanitarias.",
        ],
        [
            "La solución más completa frente al reto.",
            "La evidencia sale lista para pedir la baja del anuncio.",
            "Un piloto realista en tres meses.",
        ],
        [
            "Depende de que las plataformas no bloqueen el rastreo.",
            "Tres personas para el piloto y el soporte.",
            "Falta precisar el manejo de los datos personales de los vendedores.",
        ],
        (True, "selected_top_score", "El mejor puntaje del reto: responde a todas las funcionalidades."),
    ),
    "datacanto": _app(
        [[3, 3, 4, 4, 3], [3, 3, 3, 4, 3], [4, 3, 3, 3, 3]],
        [
            "Integra las alertas que el INVIMA ya tiene, pero busca poco por sí misma en la web.",
            "Analítica de riesgo conocida; lo nuevo es unir las fuentes.",
            "TRL 9 en otras entidades: el piloto es de bajo riesgo.",
            "Equipo con mucha experiencia en proyectos públicos.",
            "Licencia por entidad, con clientes públicos.",
        ],
        [
            "Madura y con experiencia en el sector público.",
            "Aprovecha los sistemas actuales del INVIMA.",
            "Equipo sólido.",
        ],
        [
            "La detección en redes sociales es limitada.",
            "Menos innovadora que otras propuestas.",
            "El costo del piloto es alto frente a lo que agrega.",
        ],
        (True, "selected_top_score", "Segundo puntaje del reto: madura y de bajo riesgo para el piloto."),
    ),
    "grupo-vision-uniandina": _app(
        [[3, 4, 2, 3, 2], [3, 4, 2, 2, 2], [2, 3, 2, 3, 2]],
        [
            "Cubre una parte del reto: las falsificaciones que solo se ven en la foto.",
            "El reconocimiento de empaques falsificados es la idea más novedosa del reto.",
            "Prototipo de investigación (TRL 4): el piloto necesitará acompañamiento.",
            "Grupo de investigación reconocido, con estudiantes de doctorado.",
            "Sin modelo de negocio claro fuera de la universidad.",
        ],
        [
            "La propuesta más innovadora.",
            "Complementa a las soluciones de rastreo.",
            "Costo bajo.",
        ],
        [
            "Lejos todavía de producción.",
            "Necesita un socio para operar el servicio.",
            "No cubre el rastreo de anuncios.",
        ],
        (
            True,
            "selected_fit",
            "Tercer puntaje; su reconocimiento de empaques complementa a las otras dos soluciones.",
        ),
    ),
    "semillero-ia-unal": _app(
        [[2, 2, 1, 1, 1], [2, 2, 1, 2, 1], [1, 2, 1, 1, 1]],
        [
            "Busca palabras clave en redes: encuentra anuncios, pero sin cruzarlos con el registro.",
            "Técnica conocida.",
            "Prototipo de estudiantes, sin pruebas con datos reales.",
            "Equipo motivado, con poca experiencia.",
            "No hay plan para mantener el servicio.",
        ],
        [
            "Muy bajo costo.",
            "Entusiasmo y disposición a aprender.",
            "Código abierto.",
        ],
        [
            "Madurez insuficiente para un piloto.",
            "Muchos falsos positivos esperables.",
            "Sin plan de sostenibilidad.",
        ],
        (False, "trl_too_low", "Cuarto puntaje: una buena idea que aún no está madura para un piloto."),
    ),
    # Consumer complaints (SIC)
    "lexia-legaltech": _app(
        [[4, 3, 3, 3, 3], [4, 4, 3, 3, 2], [3, 3, 3, 3, 3]],
        [
            "Clasifica, prioriza y agrupa: responde a todo lo que pide la Superintendencia.",
            "Modelos de lenguaje ajustados al derecho del consumidor colombiano.",
            "Probada con expedientes judiciales; falta probarla con quejas.",
            "Equipo que combina datos y derecho del consumidor.",
            "Licencia anual; el mercado de otras superintendencias es claro.",
        ],
        [
            "Cubre todas las funcionalidades.",
            "Conoce la norma de protección al consumidor.",
            "Agrupa los casos masivos.",
        ],
        [
            "No ha trabajado con quejas de consumidores todavía.",
            "El modelo de negocio depende de pocas entidades.",
            "La integración con el sistema de trámites no está descrita.",
        ],
        (True, "selected_top_score", "El mejor puntaje del reto: clasifica, prioriza y agrupa las quejas."),
    ),
    "escucha-activa": _app(
        [[3, 3, 3, 3, 3], [3, 3, 4, 3, 3], [3, 3, 3, 4, 3]],
        [
            "Clasifica por motivo y emoción; la asignación al grupo competente es menos precisa.",
            "Une texto y voz en un mismo modelo.",
            "En producción con dos bancos: TRL 7.",
            "Equipo con experiencia en centros de contacto.",
            "Clientes privados y públicos; escalable.",
        ],
        [
            "Madura y en producción.",
            "Incluye las llamadas, no solo las quejas escritas.",
            "Buen tablero para los directivos.",
        ],
        [
            "No conoce la norma de protección al consumidor.",
            "La agrupación de casos masivos no está descrita.",
            "Costo del piloto alto.",
        ],
        (True, "selected_top_score", "Segundo puntaje del reto: madura y con canales de voz y texto."),
    ),
    "robotica-llanera": _app(
        [[2, 1, 3, 2, 2], [1, 1, 3, 2, 2], [2, 2, 2, 2, 2]],
        [
            "Automatiza la digitación, pero no clasifica ni prioriza las quejas.",
            "RPA sin componente de lenguaje: poco innovador para este reto.",
            "Robots probados en otras entidades.",
            "Equipo pequeño con experiencia en RPA.",
            "Precio bajo, pero el reto pide más.",
        ],
        ["Rápido de implementar.", "Precio bajo.", "Experiencia con entidades territoriales."],
        [
            "No responde a la clasificación, el centro del reto.",
            "Ninguna tecnología de lenguaje.",
            "Depende de los funcionarios para clasificar.",
        ],
        (False, "out_of_scope", "Tercer puntaje: automatiza la digitación, pero no clasifica las quejas."),
    ),
    # Housing credit for self-employed and informal workers (Fondo Nacional del Ahorro)
    "nido-fintech": _app(
        [[4, 4, 3, 3, 3], [4, 4, 3, 4, 3], [3, 4, 3, 3, 3]],
        [
            "Puntaje explicable para independientes: exactamente lo que busca el Fondo.",
            "Datos alternativos con consentimiento y explicaciones para el usuario.",
            "En operación con una cooperativa; el sandbox permite probarlo sin riesgo.",
            "Equipo con experiencia en riesgo y cumplimiento.",
            "Cobro por solicitud evaluada; otros fondos de vivienda son clientes posibles.",
        ],
        [
            "Responde al reto de principio a fin.",
            "Explicable para el analista y para el usuario.",
            "Cumplimiento de datos personales bien pensado.",
        ],
        [
            "Sin clientes públicos todavía.",
            "Los datos de billeteras digitales dependen de acuerdos con terceros.",
            "El costo del piloto es el más alto del reto.",
        ],
        (
            True,
            "selected_top_score",
            "El mejor puntaje del reto: un puntaje explicable con datos autorizados.",
        ),
    ),
    "trebol-analitica": _app(
        [[3, 3, 3, 3, 3], [3, 3, 4, 3, 2], [4, 3, 3, 3, 3]],
        [
            "Estima los ingresos; el Fondo tendría que integrarlo a su propio modelo de riesgo.",
            "Analítica conocida aplicada a un problema nuevo para el Fondo.",
            "TRL 8 con cooperativas: el piloto es viable.",
            "Equipo estable, con estadísticos.",
            "Modelo de negocio probado en microfinanzas.",
        ],
        [
            "Madura y probada con cooperativas.",
            "Reemplaza el certificado de ingresos.",
            "Un socio con datos de microcrédito.",
        ],
        [
            "No da un puntaje completo, solo ingresos.",
            "Menos explicable para el usuario.",
            "La escala del Fondo es mucho mayor que la de sus clientes.",
        ],
        (True, "selected_top_score", "Segundo puntaje del reto: una estimación de ingresos ya probada."),
    ),
    "firmaya": _app(
        [[1, 2, 4, 3, 3], [1, 1, 4, 3, 3], [1, 2, 3, 3, 3]],
        [
            "Digitaliza la solicitud, pero no resuelve cómo demostrar los ingresos.",
            "Firma electrónica: tecnología conocida.",
            "Madura y en producción.",
            "Equipo con experiencia en el sector público.",
            "Modelo de negocio sólido.",
        ],
        ["Madura.", "Clientes públicos.", "Buena experiencia de usuario."],
        [
            "No responde al problema del reto.",
            "Poca innovación.",
            "El Fondo ya tiene solicitud en línea.",
        ],
        (False, "out_of_scope", "Tercer puntaje: digitaliza la solicitud, pero no evalúa el crédito."),
    ),
}

EVALUATIONS = [
    {
        "lab": "milab",
        "call": "cohorte-govtech-2025",
        "staff": "staff@milab.example",
        "panel": MILAB_PANEL,
        "reviews_per_application": 3,
        "disagreement_threshold": "15",
        "phases": [
            {
                "name": {"es": "Evaluación a ciegas", "en": "Blind review"},
                "can_review": True,
                "see_others": "after_own",
                "identities_visible": False,
            },
            {
                "name": {
                    "es": "Comité de preselección (identidades visibles)",
                    "en": "Preselection committee",
                },
                "can_review": False,
                "see_others": "always",
                "identities_visible": True,
            },
        ],
        "conflict": None,
        "applications": MILAB_2025_APPLICATIONS,
        "consensus": None,
        "withheld": [],
    },
    {
        "lab": "govtech-lab-luxembourg",
        "call": "bye-bye-robots",
        "staff": "manager@govtech-lab-luxembourg.example",
        "panel": LUX_PANEL,
        "reviews_per_application": 3,
        "disagreement_threshold": "15",
        "phases": [
            {
                "name": {"en": "Blind review", "fr": "Évaluation à l'aveugle"},
                "can_review": True,
                "see_others": "after_own",
                "identities_visible": False,
            },
            {
                "name": {
                    "en": "Panel discussion (identities visible)",
                    "fr": "Délibération (identités visibles)",
                },
                "can_review": False,
                "see_others": "always",
                "identities_visible": True,
            },
        ],
        "conflict": (
            "evaluator@govtech-lab-luxembourg.example",
            "lis-research-group",
            "I co-supervise the PhD thesis of Mia Schmit, a member of this team, with Dr. Yannick Weis.",
        ),
        "applications": LUX_APPLICATIONS,
        # The disagreement the panel settled: its consensus on the security criterion (position 1).
        "consensus": (
            "team-captchaless",
            1,
            2,
            "Discussed in the panel meeting: the proof-of-work stops simple scripts but not attackers with "
            "servers, and takes seconds on old phones. The panel agreed on 'fair' for security.",
        ),
        # Reviews whose comments are not released to the applicant: (organisation, review position).
        "withheld": [("team-captchaless", 1)],
    },
    {
        "lab": "innovationsupphandling-syd",
        "call": "innovationsupphandling-2026",
        "staff": "manager@innovationsupphandling-syd.example",
        "panel": SWE_PANEL,
        "reviews_per_application": 3,
        "disagreement_threshold": "15",
        "phases": [
            {
                "name": {"sv": "Blind bedömning", "en": "Blind review"},
                "can_review": True,
                "see_others": "never",
                "identities_visible": False,
            },
            {
                "name": {"sv": "Gemensam genomgång (öppna namn)", "en": "Joint review (identities visible)"},
                "can_review": False,
                "see_others": "always",
                "identities_visible": True,
            },
        ],
        "conflict": None,
        "applications": SWE_APPLICATIONS,
        "consensus": None,
        "withheld": [],
    },
]

# Feedback letters: one template per lab language. Placeholders: services.FEEDBACK_PLACEHOLDERS.
FEEDBACK_TEMPLATES = {
    "milab": {
        "es": (
            "Resultado de su postulación a {call}",
            "Hola, {organisation}:\n\n"
            "Gracias por postularse a «{call}» para el reto «{challenge}». Tres evaluadores leyeron las "
            "postulaciones, primero sin saber quién las presentaba.\n\n"
            "Decisión: {decision}\nMotivo: {reason}\nSu posición entre las postulaciones: {rank_band}\n\n"
            "Sus puntajes (promedio de los evaluadores, por criterio):\n{scores}\n\n"
            "Lo que escribieron los evaluadores:\n{comments}\n\n"
            "Si quiere conversar sobre esta retroalimentación, responda a este mensaje en los próximos 15 "
            "días.\n\n"
            "MiLAB — Laboratorio GovTech y de Impacto Público",
        ),
        "en": (
            "The result of your application to {call}",
            "Dear {organisation},\n\n"
            "Thank you for applying to “{call}” for the challenge “{challenge}”. Three evaluators read the "
            "applications, first without knowing who had applied.\n\n"
            "Decision: {decision}\nWhy: {reason}\nYour position among the applications: {rank_band}\n\n"
            "Your scores (the evaluators' mean per criterion):\n{scores}\n\n"
            "What the evaluators wrote:\n{comments}\n\n"
            "If you would like to talk about this feedback, reply to this message within 15 days.\n\n"
            "MiLAB — GovTech and Public Impact Laboratory",
        ),
    },
    "govtech-lab-luxembourg": {
        "en": (
            "Bye bye Robots!: the result of your application",
            "Dear {organisation},\n\n"
            "Thank you for your application to “{call}” for the challenge “{challenge}”. Four evaluators "
            "reviewed the applications, first without knowing who had applied.\n\n"
            "Decision: {decision}\nWhy: {reason}\nYour position among the applications: {rank_band}\n\n"
            "Your scores (mean of the evaluators, per criterion):\n{scores}\n\n"
            "What the evaluators wrote:\n{comments}\n\n"
            "If you would like to talk about this feedback, reply to this message within 15 days.\n\n"
            "GovTech Lab Luxembourg",
        ),
        "fr": (
            "Bye bye Robots ! : le résultat de votre candidature",
            "Bonjour {organisation},\n\n"
            "Merci pour votre candidature à « {call} » pour le défi « {challenge} ». Quatre évaluateurs ont "
            "examiné les candidatures, d'abord sans savoir qui les avait déposées.\n\n"
            "Décision : {decision}\nMotif : {reason}\nVotre position parmi les candidatures : {rank_band}\n\n"
            "Vos notes (moyenne des évaluateurs, par critère) :\n{scores}\n\n"
            "Ce qu'ont écrit les évaluateurs :\n{comments}\n\n"
            "Pour en parler, répondez à ce message dans les 15 jours.\n\n"
            "GovTech Lab Luxembourg",
        ),
    },
    "innovationsupphandling-syd": {
        "sv": (
            "Resultat av er ansökan till {call}",
            "Hej {organisation},\n\n"
            "Tack för er ansökan till ”{call}” för utmaningen ”{challenge}”. Tre bedömare har läst "
            "ansökningarna, först utan att veta vem som sökt.\n\n"
            "Beslut: {decision}\nMotivering: {reason}\nEr placering bland ansökningarna: {rank_band}\n\n"
            "Era poäng (bedömarnas medelvärde per kriterium):\n{scores}\n\n"
            "Bedömarnas kommentarer:\n{comments}\n\n"
            "Hör gärna av er om ni vill diskutera återkopplingen.\n\n"
            "Innovationsupphandling Syd",
        ),
        "en": (
            "The result of your application to {call}",
            "Dear {organisation},\n\n"
            "Thank you for applying to “{call}” for the challenge “{challenge}”. Three evaluators read the "
            "applications, first without knowing who had applied.\n\n"
            "Decision: {decision}\nWhy: {reason}\nYour position among the applications: {rank_band}\n\n"
            "Your scores (the evaluators' mean per criterion):\n{scores}\n\n"
            "What the evaluators wrote:\n{comments}\n\n"
            "Do get in touch if you would like to discuss this feedback.\n\n"
            "Innovationsupphandling Syd",
        ),
    },
}
