"""The challenge page's view of its purchase: the procurement process(es) and their awards and contracts."""

from django import template

from govlab.procurement import selectors

register = template.Library()


@register.simple_tag
def challenge_procurement(challenge):
    """[(process, status, [(award, contract or None)])] for the challenge's live processes (3 queries)."""
    processes = selectors.public_processes_for_challenge(challenge)
    awards = [award for process in processes for award in process.awards.all()]
    contracts = selectors.contracts_by_award(awards)
    rows = []
    for process in processes:
        rows.append(
            {
                "process": process,
                "status": selectors.effective_status(process),
                "awards": [(award, contracts.get(award.pk)) for award in process.awards.all()],
            }
        )
    return rows
