"""What each kind of job does in the worker; each calls the same service as the web page.

A handler gets the ``Job`` and a progress ``Reporter`` and returns an ``Outcome`` (a Dutch
summary and maybe a file); a ``DomainError`` it raises is shown to the user as it is.
"""

from pilot.extensions import db
from pilot.models import Gemeente, Job
from pilot.services.jobs.progress import Reporter
from pilot.services.jobs.runner import Outcome, handler

IMPORT_STEPS = {
    "gelezen": "bestand gelezen",
    "ontleed": "rijen ontleed",
    "vergeleken": "vergeleken met de bestaande incidenten",
    "gecontroleerd": "rijen gecontroleerd",
    "schrijven": "rijen geschreven",
}


@handler("import")
def run_import(job: Job, reporter: Reporter) -> Outcome:
    """Confirm an upload: validate again and write its rows in short transactions that
    are deleted again if the job fails (``imports.staged``)."""
    from pilot.services.imports import import_file, staged
    from pilot.services.imports.uploads import claimed_file, finish, get_upload

    if done := staged.finished(job.id):  # an earlier attempt finished before it was stopped
        return Outcome(done.melding or "")
    gemeente = db.session.get(Gemeente, job.gemeente_id)
    upload = get_upload(job.parameters["token"], gemeente, job.user_id, claimed=True)

    def progress(stage: str, done: int, total: int) -> None:
        reporter.report(IMPORT_STEPS.get(stage, stage), done, total, "rijen")

    try:
        with claimed_file(upload) as path:
            result = import_file(
                gemeente,
                path,
                upload.bestand,
                job.parameters["alles_of_niets"],
                progress,
                batch=job.id,
            )
    finally:
        finish(upload)
    return Outcome(result.message()[0])


@handler("importcontrole")
def run_check(job: Job, reporter: Reporter) -> Outcome:
    """Analyse a large upload for its preview; nothing is written."""
    from pilot.services.imports.uploads import check_upload
    from pilot.templating import aantal, getal

    gemeente = db.session.get(Gemeente, job.gemeente_id)

    def progress(stage: str, done: int, total: int) -> None:
        reporter.report(IMPORT_STEPS.get(stage, stage), done, total, "rijen")

    upload = check_upload(job.parameters["token"], gemeente, job.user_id, progress)
    figures = upload.meta["samenvatting"]
    return Outcome(
        f"{upload.bestand} is gecontroleerd: {aantal(figures['rijen'], 'rij', 'rijen')}, "
        f"{getal(figures['geldig'])} geldig, {getal(figures['rijen_met_fouten'])} met fouten. "
        "Er is nog niets opgeslagen: bekijk het voorbeeld en bevestig de import."
    )


@handler("rapport")
def run_report(job: Job, reporter: Reporter) -> Outcome:
    """A gemeente or aggregate report, built as on the reports page; the PDF is the result."""
    from pilot import clock
    from pilot.services.disclosure import policy
    from pilot.services.reports import build, periods

    params = job.parameters
    reporter.report("cijfers berekenen", 0, 0, "stappen")
    if params["rapport"] == "totaal":
        report = build.download_aggregate_report()
    else:
        gemeente = db.session.get(Gemeente, job.gemeente_id)
        if params["exact"]:
            gekozen = periods.choose_period(
                gemeente, clock.today(), params["van"], params["tot"], params["kwartaal"]
            )
        else:
            gekozen = policy.outsider_period(gemeente, params["periode"])
        report = build.download_gemeente_report(gemeente, gekozen, params["exact"])
    return Outcome(
        f"Het rapport is klaar: {report.bestandsnaam}.",
        (report.bestandsnaam, report.pdf, "application/pdf"),
    )


@handler("dataset")
def run_dataset(job: Job, reporter: Reporter) -> Outcome:
    """The evaluation dataset with codebook as a zip."""
    from pilot.services.dataset import export

    reporter.report("dataset samenstellen", 0, 0, "stappen")
    data = export.download_dataset()
    name = export.DEFAULT_NAME
    return Outcome(f"De dataset is klaar: {name}.", (name, data, "application/zip"))


@handler("opschonen")
def run_purge(job: Job, reporter: Reporter) -> Outcome:
    """A confirmed retention purge (one transaction), reported in counts only."""
    from datetime import date

    from pilot import clock
    from pilot.services.retention import purge as retention
    from pilot.services.retention.messages import purge_message

    gemeenten = [
        g
        for g in db.session.execute(db.select(Gemeente).order_by(Gemeente.naam)).scalars()
        if g.cbs_code in job.parameters["gemeenten"]
    ]
    voor = date.fromisoformat(job.parameters["voor"])
    reporter.report("bevriezen en verwijderen", 0, 0, "stappen")
    plan = retention.purge(gemeenten, voor, clock.today())
    return Outcome(purge_message(plan, voor))
