"""Records: the local store, crash-safe recording, exports, reports, skills-lab sessions and xAPI.

Where the UI finds what it needs (modules are imported directly; plots and reports load matplotlib):

- saving: `store.RecordStore(paths.resolve_data_dir(data_dir))`; `recorder.AttemptRecorder.start(store,
  sim)` (the record's who, when and mode are `sim.info`, from the Simulation's keyword arguments) then
  `.finish()` -> `store.SaveOutcome`, or `.discard()` for an abandoned attempt; `store.retry_pending()`;
  `recorder.recover_unfinished(store)` at start-up; `store.notices` to show once.
- history: `store.attempts(trainee_id=...)`; `plots.score_curve_figure`, `plots.cusum_figure`,
  `plots.errors_figure` and `plots.figure_png`; `reports.export_trainee_report`.
- exports: `exports.export_records(store, records, folder, "csv" | "json" | "xapi")`;
  `reports.export_cohort(store, folder, "csv" | "pdf", session_id)`.
- skills lab: `sessions.create_session`, `sessions.write_session_file`, `sessions.install_session_file`,
  `trainee = session.sign_in(name)` and `sim = session.simulation(scenario_id, trainee)` (an exam
  attempt with the session's settings, ready for `AttemptRecorder.start`), `exports.export_session_results`,
  `transfer.import_records`, `sessions.update_session` and `sessions.delete_attempt` (PIN).
- LRS: `lrs_settings.save_settings` (the password goes to the keyring or a private file,
  `credentials`), `lrs_sender.LrsSender(data_dir).start()` and `.notify()` after each save,
  `lrs_client.sync_outbox(store)`; `lrs_sender.delivery_status(store, sender)` is the one status line
  (waiting, refused, last problem) for the menu.
- trainees: `trainees.sign_in_here(store, session, name, programme_id, picked_id)` (opaque ids; names
  as typed; name plus programme id tells two trainees apart), `trainees.remembered(store, id, name)`.
- damage: records are checked on save, import and read (`trainer.record.checked_record`); unreadable
  rows go to `damaged/records/` with a notice; a damaged database is salvaged page by page
  (`salvage`, `sqlite_pages`); journals are owned by their writer (`journal_owner`).
"""

import logging

logging.getLogger("trainer.records").addHandler(logging.NullHandler())  # the game and CLI add the file
