"""What review tells people: staff hear of the council's comments.

A council member's comment (a new thread or a reply) is a notification to
every active staff member, in the portal at once and by e-mail in a digest
(``manage.py send_review_digest``): a council reading a draft may write a
dozen comments in an evening, which is one e-mail, not twelve. Staff's own
comments are notes among themselves and notify no one. Written in the
portal's default language, whoever commented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.services import notify, staff_recipients, with_portal_language

if TYPE_CHECKING:
    from notifications.models import Notification
    from review.models import ReviewComment

REVIEW_COMMENT = "review_comment"
# The comment as quoted in the notification; the whole of it is on the page.
QUOTE_CHARS = 500


def _author(comment: ReviewComment) -> str:
    author = comment.author
    if author is None:
        return _("A council member")
    return author.get_full_name() or author.username


@with_portal_language
def notify_staff_of_council_comment(
    comment: ReviewComment, *, subject_label: str, plan, version_label: str
) -> list[Notification]:
    """Tell staff that a council member commented on ``subject_label``
    (an item "A.1.2 Title" or a report's section) of ``plan``'s ``version_label``."""
    thread = comment.thread
    values = {
        "author": _author(comment),
        "item": subject_label,
        "plan": plan,
        "version": version_label,
    }
    if thread.comments.count() > 1:
        subject = _("%(author)s replied on %(item)s (%(plan)s, %(version)s)") % values
    else:
        subject = _("%(author)s commented on %(item)s (%(plan)s, %(version)s)") % values
    return notify(
        users=staff_recipients(),
        kind=REVIEW_COMMENT,
        subject=subject,
        text=Truncator(comment.text).chars(QUOTE_CHARS),
        url=thread.get_absolute_url(),
        digest=True,
    )
