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
    """Confirm an upload: validate again and write its rows in one transaction."""
    from pilot.services.imports import import_file
    from pilot.services.imports.uploads import claimed_file, finish, get_upload

    gemeente = db.session.get(Gemeente, job.gemeente_id)
    upload = get_upload(job.parameters["token"], gemeente, job.user_id, claimed=True)

    def progress(stage: str, done: int, total: int) -> None:
        reporter.report(IMPORT_STEPS.get(stage, stage), done, total, "rijen")

    try:
        with claimed_file(upload) as path:
            result = import_file(
                gemeente, path, upload.bestand, job.parameters["alles_of_niets"], progress
            )
    finally:
        finish(upload)
    return Outcome(result.message()[0])
