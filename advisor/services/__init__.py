"""The service layer: every rule about who may do what, and every write to the store.

The app and the CLI are thin shells over these modules; a page or a command reads input,
calls one function here and shows the result. Each function takes the ``Database`` and,
when it acts for someone, the acting ``Principal`` first; it checks permissions
(``advisor.services.permissions``), does its work in one transaction and writes an audit
entry in that same transaction.

- ``accounts``: users, argon2 passwords, throttled sign-in, OIDC email mapping.
- ``organisations``: public bodies, vendors, consultancies.
- ``assessments``: drafts with several respondents, optimistic locking, submission, report
  export records.
- ``kb_revisions``: the knowledge base in the store, revisions, proposals and review,
  YAML import/export, the live knowledge base for running processes.
- ``data_protection``: a body's data export and erasure; purge of abandoned drafts.
- ``audit``: the audit log.
- ``setup``: open the store, migrate it and seed it on first start.

Errors: ``advisor.errors.InputError`` (bad input, naming the field) and the
``advisor.services.errors`` family (``PermissionDenied``, ``ConflictError``,
``NotFoundError``, ``SignInRefused``, ``SignInThrottled``).
"""
