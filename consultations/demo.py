"""The demo's public consultation (a step of plans/demo/loader.py).

Version 2 of the Kaunas District plan (the draft revision) is put to public
consultation: opened a week ago, open for another month, with realistic
proposals by the demo ``resident`` (Jonas Rimkus) and three more demo
residents, some showing their name, some not; some answered and published,
one answer prepared but not yet published. Everything here is demonstration
data, invented.

Idempotent: when the draft already has a consultation, nothing is added.
Staff who want to edit the plan in the demo create a new draft (the version
under consultation is read-only, as in real life).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from plans.models import Measure, Task

from . import services
from .models import Consultation, Eldership

TITLE = "Strateginio plėtros plano keitimo projekto viešas aptarimas"
DESCRIPTION = (
    "Kviečiame susipažinti su Kauno rajono savivaldybės 2013–2020 metų strateginio plėtros "
    "plano keitimo projektu ir teikti pasiūlymus dėl viso plano arba dėl atskirų prioritetų, "
    "tikslų, uždavinių ir priemonių. Į kiekvieną pasiūlymą administracija atsakys, o "
    "pasiūlymų ir atsakymų lentelė bus paskelbta šiame puslapyje.\n\n"
    "(Demonstraciniai duomenys.)"
)
# username: (first name, last name, e-mail)
RESIDENTS = {
    "resident2": ("Ona", "Petraitienė", "ona.petraitiene@example.lt"),
    "resident3": ("Mantas", "Kazlauskas", "mantas.kazlauskas@example.lt"),
    "resident4": ("Rūta", "Jankauskaitė", "ruta.jankauskaite@example.lt"),
}

# (author, model, title of the node or None for the whole plan, show name,
#  eldership, text, answer or None: (status, justification, published))
PROPOSALS = [
    (
        "resident",
        Measure,
        "Nutiesti pėsčiųjų ir dviračių takus Ringaudų, Domeikavos ir Karmėlavos gyvenvietėse",
        True,
        "Domeikavos seniūnija",
        "Siūlau į priemonę įtraukti dviračių taką nuo Domeikavos iki Kauno miesto ribos palei "
        "Ukmergės "
        "plentą. Šiuo keliu kasdien važiuoja daug moksleivių ir dirbančiųjų, o saugaus tako nėra.",
        (
            "partly_accepted",
            "Takas iki Kauno miesto ribos bus suprojektuotas 2019 m.; statyba numatyta "
            "kitame plano laikotarpyje, kai bus gautas ES finansavimas.",
            True,
        ),
    ),
    (
        "resident2",
        Measure,
        "Pastatyti modulinį vaikų darželį Garliavoje",
        False,
        "Garliavos seniūnija",
        "Garliavoje trūksta vietų darželiuose jau dabar. Siūlau darželį statyti ne mažiau kaip "
        "šešioms grupėms ir numatyti baseiną.",
        (
            "not_accepted",
            "Darželio dydis nustatytas pagal vaikų skaičiaus prognozę; baseinas "
            "padidintų statybos ir išlaikymo išlaidas daugiau nei dvigubai.",
            True,
        ),
    ),
    (
        "resident3",
        Measure,
        "Įrengti saulės elektrines savivaldybės pastatų stoguose",
        True,
        "Karmėlavos seniūnija",
        "Pritariu priemonei, bet siūlau pirmiausia elektrines įrengti mokyklose ir darželiuose, "
        "kurie daugiausia elektros suvartoja dieną.",
        (
            "accepted",
            "Pritarta: į priemonės aprašymą įrašyta, kad pirmiausia įrengiama švietimo "
            "įstaigų pastatuose.",
            True,
        ),
    ),
    (
        "resident4",
        Task,
        "Sutvarkyti neleistinus atliekų sąvartynus",
        False,
        "Zapyškio seniūnija",
        "Prie Nemuno, netoli Zapyškio, nuolat atsiranda šiukšlių krūvos. Siūlau ten įrengti vaizdo "
        "stebėjimo kamerą ir informacinį ženklą apie baudas.",
        (
            "already_in_plan",
            "Tai numato priemonė „Įrengti vaizdo stebėjimo kameras dažniausiai "
            "teršiamose vietose“; vieta įtraukta į 2018 m. sąrašą.",
            False,
        ),
    ),
    (
        "resident",
        None,
        None,
        False,
        "Domeikavos seniūnija",
        "Plane trūksta aiškių rodiklių, kaip gerės viešojo transporto paslaugos priemiestinėse "
        "gyvenvietėse. Siūlau įtraukti rodiklį „reisų skaičius per dieną“.",
        None,
    ),
    (
        "resident2",
        Measure,
        "Pakeisti gatvių šviestuvus efektyviais šviesos diodų (LED) šviestuvais",
        True,
        None,
        "Keičiant šviestuvus prašau įvertinti, kad jie nešviestų į gyvenamųjų namų langus.",
        (
            "out_of_scope",
            "Šviestuvų kryptis ir tipas nustatomi techniniame projekte, ne strateginiame "
            "plane; pastaba perduota projektuotojams.",
            True,
        ),
    ),
]

# (supporter, index of the proposal in PROPOSALS): "pritariu".
SUPPORTS = [
    ("resident2", 0),
    ("resident3", 0),
    ("resident4", 0),
    ("resident", 2),
    ("resident4", 4),
    ("resident3", 1),
]


def _residents(context) -> dict:
    User = get_user_model()
    users = {"resident": context.users.get("resident") or User.objects.get(username="resident")}
    password_hash = None
    for username, (first, last, email) in RESIDENTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            password_hash = password_hash or make_password("demo")
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=email,
                password=password_hash,
            )
        users[username] = user
    return users


def load_consultation(context) -> None:
    """An open consultation on the draft revision, with proposals, some answered."""
    version = context.draft_version
    if version is None:
        context.say("Consultation: skipped, there is no draft revision.")
        return
    existing = Consultation.objects.filter(version=version).first()
    if existing is not None:
        context.say(f"Consultation: already present on version {version.number}, left unchanged.")
        return
    now = timezone.now()
    consultation = services.consultation_open(
        user=context.staff_user,
        version=version,
        title=TITLE,
        description=DESCRIPTION,
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=30),
    )
    users = _residents(context)
    elderships: dict[str | None, Eldership] = {e.name: e for e in Eldership.objects.all()}
    created = []
    for author, model, title, show_name, eldership, text, answer in PROPOSALS:
        # The models of PROPOSALS read as the abstract Node (no "version" field).
        target = model.objects.get(version=version, title=title).key if model else None  # type: ignore[misc]
        proposal = services.proposal_submit(
            user=users[author],
            consultation=consultation,
            text=text,
            target=target,
            show_name=show_name,
            eldership=elderships.get(eldership),
        )
        created.append(proposal)
        if answer:
            status, justification, published = answer
            services.proposal_answer(
                user=context.staff_user,
                proposal=proposal,
                status=status,
                text=justification,
                publish=published,
                notify=False,
            )
    for supporter, index in SUPPORTS:
        services.proposal_support(user=users[supporter], proposal=created[index])
    context.say(
        f"Consultation: opened on version {version.number} with {len(created)} proposals "
        f"and {len(SUPPORTS)} supports."
    )
