"""The demo fair's public consultation, after seeds/001 ("Interreg LISTENS,
Communities THRIVE!"): 5 questions for citizens and 10 for stakeholders of
the Romania–Serbia programme area. The seed names the two audiences and
their question counts; the questions themselves are written for the demo."""

from eventhub.consultation.models import Question, Survey
from eventhub.core.models import Event, Kiosk
from eventhub.core.services import kiosk_create


def t(en: str, ro: str, sr: str) -> dict:
    return {"en": en, "ro": ro, "sr-latn": sr}


YES_NO_UNSURE = [
    ("yes", t("Yes", "Da", "Da")),
    ("no", t("No", "Nu", "Ne")),
    ("unsure", t("Not sure", "Nu știu", "Nisam siguran/na")),
]
THEMES = [
    ("health", t("Health care", "Sănătate", "Zdravstvo")),
    ("environment", t("Environment and climate", "Mediu și climă", "Životna sredina i klima")),
    ("education", t("Education and skills", "Educație și competențe", "Obrazovanje i veštine")),
    ("tourism", t("Tourism and culture", "Turism și cultură", "Turizam i kultura")),
    (
        "economy",
        t(
            "Jobs and local economy",
            "Locuri de muncă și economie locală",
            "Poslovi i lokalna ekonomija",
        ),
    ),
    (
        "transport",
        t(
            "Roads and border crossings",
            "Drumuri și puncte de trecere",
            "Putevi i granični prelazi",
        ),
    ),
]

SURVEYS = {
    Survey.Audience.CITIZEN: {
        "title": t(
            "Interreg LISTENS: questions for citizens",
            "Interreg ASCULTĂ: întrebări pentru cetățeni",
            "Interreg SLUŠA: pitanja za građane",
        ),
        "intro": t(
            "Five questions about your experience of cooperation across the border.",
            "Cinci întrebări despre experiența dumneavoastră cu cooperarea transfrontalieră.",
            "Pet pitanja o vašem iskustvu sa prekograničnom saradnjom.",
        ),
        "questions": [
            (
                "heard",
                "single",
                t(
                    "Had you heard of the Interreg IPA Romania–Serbia Programme before today?",
                    "Ați auzit de Programul Interreg IPA România–Serbia înainte de astăzi?",
                    "Da li ste pre danas čuli za Interreg IPA program Rumunija–Srbija?",
                ),
                YES_NO_UNSURE,
                True,
            ),
            (
                "noticed",
                "multiple",
                t(
                    "Where have you noticed results of cross-border projects?",
                    "Unde ați observat rezultatele proiectelor transfrontaliere?",
                    "Gde ste primetili rezultate prekograničnih projekata?",
                ),
                [*THEMES, ("none", t("Nowhere yet", "Încă nicăieri", "Još nigde"))],
                True,
            ),
            (
                "better_life",
                "scale",
                t(
                    "How much has cross-border cooperation improved life where you live?",
                    "Cât a îmbunătățit cooperarea transfrontalieră viața acolo unde locuiți?",
                    "Koliko je prekogranična saradnja poboljšala život tamo gde živite?",
                ),
                [],
                True,
            ),
            (
                "priority",
                "single",
                t(
                    "What should the programme fund most after 2027?",
                    "Ce ar trebui să finanțeze programul cel mai mult după 2027?",
                    "Šta bi program trebalo najviše da finansira posle 2027?",
                ),
                THEMES,
                True,
            ),
            (
                "idea",
                "text",
                t(
                    "Your idea for the border area",
                    "Ideea dumneavoastră pentru zona de graniță",
                    "Vaša ideja za pogranično područje",
                ),
                [],
                False,
            ),
        ],
    },
    Survey.Audience.STAKEHOLDER: {
        "title": t(
            "Interreg LISTENS: questions for stakeholders",
            "Interreg ASCULTĂ: întrebări pentru părțile interesate",
            "Interreg SLUŠA: pitanja za zainteresovane strane",
        ),
        "intro": t(
            "Ten questions for organisations of the programme area.",
            "Zece întrebări pentru organizațiile din aria programului.",
            "Deset pitanja za organizacije iz programskog područja.",
        ),
        "questions": [
            (
                "organisation",
                "single",
                t(
                    "Which kind of organisation do you represent?",
                    "Ce tip de organizație reprezentați?",
                    "Koju vrstu organizacije predstavljate?",
                ),
                [
                    ("authority", t("Public authority", "Autoritate publică", "Javni organ")),
                    (
                        "health",
                        t(
                            "Hospital or health service",
                            "Spital sau serviciu medical",
                            "Bolnica ili zdravstvena služba",
                        ),
                    ),
                    (
                        "education",
                        t(
                            "University or school",
                            "Universitate sau școală",
                            "Univerzitet ili škola",
                        ),
                    ),
                    (
                        "ngo",
                        t(
                            "Non-governmental organisation",
                            "Organizație neguvernamentală",
                            "Nevladina organizacija",
                        ),
                    ),
                    ("business", t("Business", "Firmă", "Preduzeće")),
                    ("other", t("Other", "Altele", "Drugo")),
                ],
                True,
            ),
            (
                "took_part",
                "single",
                t(
                    "Has your organisation taken part in an Interreg project?",
                    "Organizația dumneavoastră a participat la un proiect Interreg?",
                    "Da li je vaša organizacija učestvovala u Interreg projektu?",
                ),
                [
                    (
                        "lead",
                        t(
                            "Yes, as lead partner",
                            "Da, ca partener principal",
                            "Da, kao vodeći partner",
                        ),
                    ),
                    ("partner", t("Yes, as partner", "Da, ca partener", "Da, kao partner")),
                    (
                        "applied",
                        t(
                            "We applied, not funded",
                            "Am aplicat, fără finanțare",
                            "Prijavili smo se, bez finansiranja",
                        ),
                    ),
                    ("no", t("No", "Nu", "Ne")),
                ],
                True,
            ),
            (
                "hardest",
                "multiple",
                t(
                    "What was hardest when applying or running a project?",
                    "Ce a fost cel mai greu la depunerea sau derularea unui proiect?",
                    "Šta je bilo najteže pri prijavi ili sprovođenju projekta?",
                ),
                [
                    ("cofinancing", t("Co-financing", "Cofinanțarea", "Sufinansiranje")),
                    ("paperwork", t("Paperwork", "Documentele", "Papirologija")),
                    (
                        "partners",
                        t("Finding partners", "Găsirea partenerilor", "Pronalaženje partnera"),
                    ),
                    (
                        "procurement",
                        t("Public procurement", "Achizițiile publice", "Javne nabavke"),
                    ),
                    ("reporting", t("Reporting", "Raportarea", "Izveštavanje")),
                    ("language", t("Language", "Limba", "Jezik")),
                ],
                True,
            ),
            (
                "procedures",
                "scale",
                t(
                    "How easy are the programme's procedures?",
                    "Cât de ușoare sunt procedurile programului?",
                    "Koliko su jednostavne procedure programa?",
                ),
                [],
                True,
            ),
            (
                "secretariat",
                "scale",
                t(
                    "How useful was the support of the Joint Secretariat?",
                    "Cât de util a fost sprijinul Secretariatului Comun?",
                    "Koliko je bila korisna podrška Zajedničkog sekretarijata?",
                ),
                [],
                True,
            ),
            (
                "priorities",
                "multiple",
                t(
                    "Which priorities should continue after 2027?",
                    "Ce priorități ar trebui să continue după 2027?",
                    "Koji prioriteti treba da se nastave posle 2027?",
                ),
                THEMES,
                True,
            ),
            (
                "lasting",
                "scale",
                t(
                    "How lasting are your project's results?",
                    "Cât de durabile sunt rezultatele proiectului dumneavoastră?",
                    "Koliko su trajni rezultati vašeg projekta?",
                ),
                [],
                True,
            ),
            (
                "again",
                "single",
                t(
                    "Would you work with your cross-border partner again?",
                    "Ați lucra din nou cu partenerul transfrontalier?",
                    "Da li biste ponovo radili sa prekograničnim partnerom?",
                ),
                YES_NO_UNSURE,
                True,
            ),
            (
                "one_change",
                "text",
                t(
                    "What one change would make the programme better?",
                    "Ce schimbare ar face programul mai bun?",
                    "Koja jedna promena bi poboljšala program?",
                ),
                [],
                False,
            ),
            (
                "anything_else",
                "text",
                t(
                    "Anything else you want to tell us?",
                    "Mai doriți să ne spuneți ceva?",
                    "Da li želite još nešto da nam kažete?",
                ),
                [],
                False,
            ),
        ],
    },
}

SCALE_LABELS = {
    "low": t("not at all", "deloc", "nimalo"),
    "high": t("very much", "foarte mult", "veoma"),
}


def load_surveys(*, event: Event) -> list[Survey]:
    """Create or refresh the two questionnaires of ``event``."""
    surveys = []
    for audience, spec in SURVEYS.items():
        survey, _ = Survey.objects.update_or_create(
            event=event,
            audience=audience,
            defaults={"title": spec["title"], "intro": spec["intro"]},
        )
        for position, (key, kind, text, choices, required) in enumerate(spec["questions"]):
            Question.objects.update_or_create(
                survey=survey,
                key=key,
                defaults={
                    "position": position,
                    "kind": kind,
                    "text": text,
                    "choices": [{"key": k, "text": label} for k, label in choices],
                    "scale_labels": SCALE_LABELS if kind == "scale" else {},
                    "required": required,
                },
            )
        surveys.append(survey)
    return surveys


def load(*, event: Event) -> None:
    load_surveys(event=event)
    if not event.kiosks.filter(kind=Kiosk.Kind.SURVEY).exists():
        kiosk_create(event=event, kind=Kiosk.Kind.SURVEY, name="Consultation tablet")
