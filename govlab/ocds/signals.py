"""What the earlier phases publish: their changes reach the OCDS releases without those apps knowing of OCDS.

Every challenge transition (a call published or cancelled, preselection, a pilot or the programme started,
a solution selected, the purchase's steps), a pilot's changes (its budget, its start and end: the pilot's
award and contract) and a published enquiry (the tender's enquiries) ask for the challenge's releases to be
refreshed after the commit. The receivers call ``publish._refresh`` (not ``refresh_later``, which tests may
replace to record the phase-5 services' own calls).
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import publish


@receiver(post_save, sender="challenges.ChallengeTransition", dispatch_uid="ocds.transition")
def transition_saved(sender, instance, created, **kwargs) -> None:
    if created:
        publish._refresh(instance.challenge_id)


@receiver(post_save, sender="pilots.Pilot", dispatch_uid="ocds.pilot")
def pilot_saved(sender, instance, **kwargs) -> None:
    publish._refresh(instance.challenge_id)


@receiver(post_save, sender="calls.Enquiry", dispatch_uid="ocds.enquiry")
def enquiry_saved(sender, instance, **kwargs) -> None:
    if instance.is_published:
        for challenge_id in instance.call.challenges.values_list("pk", flat=True):
            publish._refresh(challenge_id)
