"""`loa backup` and `loa restore`: one archive with the database, media files and indexes.

The archive is a .tar.gz (default) or a .zip:

    database/loa.sqlite3        SQLite: a snapshot taken with sqlite3's online backup API
    database/loa.pgdump         PostgreSQL: `pg_dump --format=custom`
    media/...                   MEDIA_ROOT (evidence, plan files, images, documents)
    indexes/...                 the directory holding the assistant's index (and any other)
    secret/secret_key           the install's generated SECRET_KEY file, when it has one
    manifest.json               written last: format, created_at, database engine, Loa
                                version, applied migrations per app, every file with sha256

No setting and no environment variable goes into the archive (a SECRET_KEY set in the
environment, tokens). An install that runs on its generated key file (LOA_DATA_DIR/
secret_key, `make run`) has that file archived, so a restored install keeps its sessions
and links. The database itself holds accounts (password hashes) and personal data: keep
backups as safe as the server (the archive is created with mode 0600).

Restoring reads the whole archive once to check the manifest, the engine, the migrations
and every checksum before anything is written; a corrupt, truncated, tampered or foreign
archive is refused and nothing changes. It then unpacks into temporary places next to the
targets and swaps them in:

- SQLite: the staged file replaces the database file with os.replace() (atomic);
- PostgreSQL: one psql transaction drops the tables of the current schema and runs the
  script of `pg_restore --clean --if-exists`, so a failure leaves the database as it was,
  and tables of a newer schema do not survive next to an older backup;
- media and indexes: the staged directory is renamed into place;

then runs `migrate` so an older backup comes up to the current schema. Stop `loa serve`
and the workers before restoring: a process that keeps the old SQLite file open would
write into a file that is no longer the database.

Layout: `layout` (member names, the install's folders), `archive` (the writer and the
member reader), `manifest` (reading and checking an archive), `database` (SQLite
snapshot, pg_dump, pg_restore), `create`, `restore`, `errors`.
"""

from .create import BackupResult, create_backup, loa_version
from .errors import BackupError
from .layout import (
    ENGINE_NAMES,
    FORMAT,
    FORMAT_VERSION,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    generated_secret_key_file,
    indexes_root,
    media_root,
)
from .manifest import read_manifest
from .restore import RestoreResult, restore_backup

__all__ = [
    "ENGINE_NAMES",
    "FORMAT",
    "FORMAT_VERSION",
    "POSTGRES_MEMBER",
    "SQLITE_MEMBER",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "create_backup",
    "generated_secret_key_file",
    "indexes_root",
    "loa_version",
    "media_root",
    "read_manifest",
    "restore_backup",
]
