"""A small plan with the words of issue 15's search examples, shared by the
search tests on the server and in the browser."""

from plans.models import VersionStatus
from plans.services import version_renumber
from tests import factories

# priority → goal → task → measures; (title, description) pairs.
PLAN = [
    (
        ("Sumani ir atvira bendruomenė", "Švietimo, kultūros ir socialinių paslaugų plėtra"),
        [
            (
                ("Gerinti ugdymo kokybę", ""),
                [
                    (
                        ("Modernizuoti ugdymo įstaigas", ""),
                        [
                            ("Lopšelio-darželio „Žilvitis“ renovacija", ""),
                            ("Naujo darželio statyba Pietinėje dalyje", ""),
                            ("Darželių aikštelių atnaujinimas", ""),
                            ("Lopšelis-darželis „Saulutė“: grupių steigimas", ""),
                            ("Mokyklų sporto salių remontas", "Ir darželio salės"),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        ("Patraukli ir tvari aplinka", "Keliai, gatvės, vandentiekis ir atliekų tvarkymas"),
        [
            (
                ("Gerinti susisiekimą", ""),
                [
                    (
                        ("Plėtoti susisiekimo infrastruktūrą", ""),
                        [
                            ("Kelio į Pramonės rajoną rekonstrukcija", ""),
                            ("Vietinių kelių asfaltavimas", "Žvyrkelių dangos keitimas"),
                            ("Pėsčiųjų tako įrengimas", "Šalia kelio"),
                        ],
                    ),
                ],
            ),
            (
                ("Užtikrinti kokybiškas komunalines paslaugas", ""),
                [
                    (
                        ("Plėtoti vandentvarkos tinklus", ""),
                        [
                            ("Vandentiekio vamzdynų keitimas", ""),
                            ("Nuotekų tinklų plėtra", ""),
                        ],
                    ),
                    (
                        ("Tvarkyti atliekas", ""),
                        [
                            ("Atliekų rūšiavimo konteinerių įrengimas", ""),
                            ("Didelių gabaritų atliekų aikštelė", ""),
                            ("Žaliųjų zonų tvarkymas", "Surenkamos žaliosios atliekos"),
                        ],
                    ),
                ],
            ),
        ],
    ),
]


def build_search_plan(*, status=VersionStatus.APPROVED, copies=1):
    """The plan above (``copies`` times over, for query counts), in force."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    unit = factories.UnitFactory(name="Statybos skyrius")
    for _ in range(copies):
        for (p_title, p_text), goals in PLAN:
            priority = factories.PriorityFactory(version=version, title=p_title, description=p_text)
            for (g_title, g_text), tasks in goals:
                goal = factories.GoalFactory(priority=priority, title=g_title, description=g_text)
                for (t_title, t_text), measures in tasks:
                    task = factories.TaskFactory(goal=goal, title=t_title, description=t_text)
                    for m_title, m_text in measures:
                        factories.MeasureFactory(
                            task=task, title=m_title, description=m_text, responsible_unit=unit
                        )
    version_renumber(version)
    type(version).objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()
    return version
