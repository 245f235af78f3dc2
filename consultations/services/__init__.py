"""Every write of the public consultation.

Keyword-only functions, each in one transaction, each checking the role and
the consultation's state first with a clear message. Browser views, the API
and the demo loader all call these, so the rules cannot disagree.

Races are settled by the database: a support or a report is an INSERT that a
unique constraint lets through once (a second one is a clear "already"); a
resident's submissions queue on their user row (``select_for_update``) so
the per-account limit counts exactly; moderation and answers lock the
proposal row.

One module per part of the consultation: ``consultations.py`` (open,
extend), ``proposals.py`` (a resident's submit, edit, withdraw, support,
report), ``moderation.py`` (hide, show, telling the author), ``answers.py`` (answer, publish,
tell the author), ``personal_data.py`` (what account deletion leaves);
the refusals and shared checks in ``_common.py``. Callers import the
package (``from consultations import services``); every public name is
re-exported here.
"""

# PermissionDenied and ValidationError: what the services raise, named here
# for the callers that catch them.
from django.core.exceptions import PermissionDenied, ValidationError

from ._common import (
    AlreadyDoneError,
    ConsultationClosedError,
    ProposalStateError,
    RateLimitError,
    find_target,
)
from .answers import (
    PROPOSAL_ANSWERED,
    answer_letters_set,
    answer_publish,
    answers_publish,
    proposal_answer,
)
from .consultations import consultation_extend, consultation_open
from .moderation import PROPOSAL_HIDDEN, proposal_hide, proposal_unhide, resident_report_count
from .personal_data import author_anonymise
from .proposals import (
    proposal_edit,
    proposal_edit_check,
    proposal_report,
    proposal_submit,
    proposal_support,
    proposal_unsupport,
    proposal_withdraw,
)

__all__ = [
    "PROPOSAL_ANSWERED",
    "PROPOSAL_HIDDEN",
    "AlreadyDoneError",
    "ConsultationClosedError",
    "PermissionDenied",
    "ProposalStateError",
    "RateLimitError",
    "ValidationError",
    "answer_letters_set",
    "answer_publish",
    "answers_publish",
    "author_anonymise",
    "consultation_extend",
    "consultation_open",
    "find_target",
    "proposal_answer",
    "proposal_edit",
    "proposal_edit_check",
    "proposal_hide",
    "proposal_report",
    "proposal_submit",
    "proposal_support",
    "proposal_unhide",
    "proposal_unsupport",
    "resident_report_count",
    "proposal_withdraw",
]
