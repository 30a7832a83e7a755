"""The examination's papers (issue 11, ADR 0020): relevé de notes, procès-verbal, attestation, certificat.

`modeles` turns what the registry knows into plain view models and hashes their content; `pdf` renders
them with the Jinja2 templates the pages share (`adapters/publication/gabarits/`) through WeasyPrint.
Reads only: issuing a document (recording `DocumentÉmis`) is the application service's job.
"""
