"""`make scaletest`: the multi-node test (issue 26, "Scale out").

Two gunicorn nodes (A and B, each with a Celery beat) and one Celery worker
node, each with folders of its own, sharing only PostgreSQL, Redis (broker and
cache) and the configured storage. One person's requests go to either node:

* ``scale_sign_in_cross_node``: signed in on one node, signed in on both;
* ``scale_preview_cross_node``: a monthly-report workbook previewed on A is
  confirmed on B (the pending upload is in the shared storage);
* ``scale_cache_cross_node``: the city's jobs to date read on A and B, a report
  accepted on A: both show one more;
* ``scale_job_xlsx_cross_node`` / ``scale_job_pdf_cross_node``: an evaluation
  report requested on B, built by the worker, downloaded from A;
* ``scale_beat_once``: of the two beats, one sends;
* ``scale_kill_mid_request``: node A killed (SIGKILL) during two draft saves
  (one half uploaded, one being saved): each wholly saved or not at all, no
  row half-written, node B serves everything and takes the next save;
* ``scale_beat_takeover``: B's beat sends once A's is dead.

Flavours: ``filesystem`` (a shared folder standing in for a NAS mount) and
``s3`` (a local moto server standing in for an S3-compatible public cloud
store). The database is made afresh (migrate + seed_demo) for each.
"""
