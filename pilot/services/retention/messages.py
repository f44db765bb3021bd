"""The Dutch summary of a purge (page, job), counts only."""

from datetime import date

from pilot.services.retention.purge import PurgePlan
from pilot.templating import getal


def purge_message(plan: PurgePlan, voor: date) -> str:
    return (
        f"Verwijderd van vóór {voor:%d-%m-%Y}: {getal(plan.totaal('incidenten'))} incidenten, "
        f"{getal(plan.totaal('auditgebeurtenissen'))} audit-details gewist, "
        f"{getal(plan.totaal('uploads'))} importbestanden. De totalen van "
        f"{getal(sum(len(r.kwartalen) for r in plan.gemeenten))} kwartalen zijn bewaard."
    )
