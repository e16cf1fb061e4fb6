"""`loa backup` and `loa restore` on the engine of the test run (SQLite or PostgreSQL).

On PostgreSQL the round trip runs in this process against the test database (restore
closes Django's connections before psql and Django reconnects). On SQLite the test
database is in memory, which has no file to swap: the round trip copies it into a file
under a data directory of its own and runs in a child process with LOA_DATA_DIR there.
Both run the same `round_trip()`.
"""

import gzip
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from loa.assistant.index import forget_retriever, get_retriever
from loa.assistant.retrieval import Retriever
from loa.core.models import Unit, Ward
from loa.core.tests.factories import UnitFactory, WardFactory
from loa.ops import backup
from loa.ops.backup.database import _sqlite_snapshot
from loa.ops.backup.restore import _bump_index_versions, _swap_dir
from loa.plans.models import Activity, Plan, Task

MAIN_DIR = Path(__file__).resolve().parents[3]
WARD_SLUG = "hai-duong-sao-luu"
UNIT_NAME = "Phòng Văn hóa - Xã hội"
PLAN_NUMBER = "77/KH-UBND"
TASK_TEXT = "Tổ chức hội nghị quán triệt Nghị quyết 57-NQ/TW đến cán bộ, đảng viên"
ACTIVITY_TITLE = "Hội nghị quán triệt Nghị quyết 57"
EVIDENCE = "Biên bản hội nghị ngày 02/3/2026".encode() + bytes(range(256)) * 8
INDEX_BYTES = bytes(range(255, -1, -1)) * 16
QUERY = "hội nghị quán triệt Nghị quyết 57"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings, tmp_path):
    """A LOA_DATA_DIR of the test's own: media, indexes (and the SQLite copy)."""
    root = tmp_path / "data"
    (root / "indexes").mkdir(parents=True)
    settings.DATA_DIR = root
    settings.MEDIA_ROOT = root / "media"
    settings.LOA_ASSISTANT_INDEX_DIR = root / "indexes" / "assistant"
    # The install's generated key file, as `make run` makes it.
    settings.LOA_SECRET_KEY_FILE = root / "secret_key"
    settings.LOA_SECRET_KEY_FILE.write_text(settings.SECRET_KEY + "\n")
    forget_retriever()
    yield root
    forget_retriever()


def index_file() -> Path:
    return Path(settings.LOA_ASSISTANT_INDEX_DIR).parent / "thu-nghiem" / "chi-muc.bin"


def make_records() -> None:
    """A ward, a unit, a plan with a task, an activity with evidence, index files."""
    ward = WardFactory(slug=WARD_SLUG, name="Hải Dương")
    unit = UnitFactory(ward=ward, name=UNIT_NAME)
    plan = Plan.objects.create(
        ward=ward,
        number=PLAN_NUMBER,
        title="Tuyên truyền Nghị quyết 57-NQ/TW về chuyển đổi số",
        issuer="Ủy ban nhân dân phường Hải Dương",
        issued_date=date(2026, 1, 15),
    )
    task = Task.objects.create(
        plan=plan, unit=unit, text=TASK_TEXT, due_date=date(2026, 3, 31)
    )
    plan.status = Plan.Status.ACTIVE
    plan.save()  # the assistant indexes it (on commit: at once here)
    Activity.objects.create(
        ward=ward,
        task=task,
        unit=unit,
        kind=Activity.Kind.CONFERENCE,
        date=date(2026, 3, 2),
        title=ACTIVITY_TITLE,
        attendees=120,
        evidence_file=ContentFile(EVIDENCE, name="biên-bản-hội-nghị.pdf"),
    )
    index_file().parent.mkdir(parents=True, exist_ok=True)
    index_file().write_bytes(INDEX_BYTES)


def snapshot() -> dict:
    """What a restore must bring back: records, file bytes, what the assistant finds."""
    media = Path(settings.MEDIA_ROOT)
    activity = Activity.objects.filter(title=ACTIVITY_TITLE).first()
    state = {
        "wards": sorted(Ward.objects.values_list("slug", "name")),
        "units": sorted(Unit.objects.values_list("name", flat=True)),
        "plans": sorted(Plan.objects.values_list("number", "title", "status")),
        "tasks": sorted(Task.objects.values_list("text", "unit__name")),
        "activities": sorted(
            Activity.objects.values_list("title", "attendees", "evidence_file")
        ),
        "evidence": activity.evidence_file.open("rb").read().hex()
        if activity
        else None,
        "media": {
            p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        }
        if media.is_dir()
        else {},
        "index_file": index_file().read_bytes().hex()
        if index_file().exists()
        else None,
        "assistant": sorted(
            {hit.passage.doc_id for hit in get_retriever().search(QUERY, k=10)}
        ),
    }
    return json.loads(json.dumps(state))  # tuples as lists, as they come from a child


def mutate() -> None:
    """Change and delete records and files after the backup."""
    Ward.objects.filter(slug=WARD_SLUG).update(name="Tên đã bị đổi")
    Activity.objects.get(title=ACTIVITY_TITLE).evidence_file.delete(save=False)
    Plan.objects.filter(number=PLAN_NUMBER).delete()  # its task and activity go too
    Unit.objects.filter(name=UNIT_NAME).delete()
    WardFactory(slug="phuong-moi-sau-sao-luu")
    default_storage.save("evidence/tep-moi.txt", ContentFile(b"sau khi sao luu"))
    index_file().write_bytes(b"chi muc da doi")


def run(*args) -> str:
    """A management command's output, or its refusal as "CommandError: …"."""
    out = io.StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        return f"CommandError: {exc}"
    return out.getvalue()


def last_migration(app: str) -> tuple[str, str]:
    """The app's newest migration and the one before it (nothing depends on a leaf)."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (leaf,) = graph.leaf_nodes(app)
    (parent,) = [p.key for p in graph.node_map[leaf].parents if p.key[0] == app]
    return leaf[1], parent[1]


def unapplied_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def round_trip(archive: str) -> dict:
    """Back up (from a schema one migration older), change everything, try to restore
    without --force, restore with it; return what was seen at each step."""
    seen = {"before": snapshot()}
    key_file, key = Path(settings.LOA_SECRET_KEY_FILE), settings.SECRET_KEY
    seen["key_before"] = key_file.read_text().strip()
    leaf, parent = last_migration(
        "learning"
    )  # an index: cheap to take off and put back
    call_command("migrate", "learning", parent, verbosity=0)
    try:
        seen["backup"] = run("backup", "-o", archive)
    finally:
        call_command("migrate", "learning", verbosity=0)
    mutate()
    # As on a new machine: another generated key, which the backup's replaces.
    settings.SECRET_KEY = "khoa-cua-may-moi-" + "x" * 50
    key_file.write_text(settings.SECRET_KEY + "\n")
    seen["changed"] = snapshot()
    seen["refusal"] = run("restore", archive)
    seen["after_refusal"] = snapshot()
    # Another process (a web worker) that loaded the index before the restore.
    other = Retriever(index_dir=settings.LOA_ASSISTANT_INDEX_DIR)
    seen["restore"] = run("restore", archive, "--force")
    seen["after"] = snapshot()
    seen["other_process_reloaded"] = other.refresh()
    seen["other_process_finds"] = sorted(
        {hit.passage.doc_id for hit in other.search(QUERY, k=10)}
    )
    seen["unapplied"] = unapplied_migrations()
    seen["older_migration"] = f"learning.{leaf}"
    seen["key_after"] = key_file.read_text().strip()
    seen["key_mode"] = oct(key_file.stat().st_mode & 0o777)
    settings.SECRET_KEY = key
    return seen


CHILD = """
import json, sys
import django
django.setup()
from loa.ops.tests.test_backup import round_trip
print("KET-QUA " + json.dumps(round_trip(sys.argv[1]), ensure_ascii=False))
"""


def round_trip_on_sqlite_file(data_dir: Path, archive: str) -> dict:
    """Copy the in-memory test database into data_dir/loa.sqlite3, run round_trip in a
    child process whose LOA_DATA_DIR is data_dir."""
    connection.ensure_connection()
    with sqlite3.connect(data_dir / "loa.sqlite3") as copy:
        connection.connection.backup(copy)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")
    }
    env.update(LOA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="loa.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", CHILD, archive],
        cwd=MAIN_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("KET-QUA ")]
    return json.loads(line.removeprefix("KET-QUA "))


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_round_trip_brings_back_records_files_and_index(data_dir, tmp_path, suffix):
    make_records()
    archive = str(tmp_path / f"loa-sao-luu{suffix}")
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        seen = round_trip_on_sqlite_file(data_dir, archive)
    else:
        seen = round_trip(archive)

    before = seen["before"]
    assert before["wards"] == [[WARD_SLUG, "Hải Dương"]]
    assert bytes.fromhex(before["evidence"]) == EVIDENCE
    assert bytes.fromhex(before["index_file"]) == INDEX_BYTES
    assert len(before["media"]) == 1
    assert before["assistant"], "the plan is in the assistant's index"

    backup_line = seen["backup"]
    assert backup_line.count("\n") == 1, backup_line
    assert backup_line.startswith(f"Đã sao lưu vào {archive} ("), backup_line
    engine = backup.ENGINE_NAMES[connection.vendor]
    assert f"CSDL {engine}, 1 tệp đính kèm," in backup_line

    changed = seen["changed"]
    assert changed["wards"] != before["wards"]
    assert changed["plans"] == changed["tasks"] == changed["activities"] == []
    assert changed["evidence"] is None and changed["assistant"] == []
    assert changed["media"] != before["media"]
    assert changed["index_file"] != before["index_file"]

    assert seen["refusal"].startswith("CommandError: CSDL hiện đã có dữ liệu")
    assert "--force" in seen["refusal"]
    assert seen["after_refusal"] == changed

    restore_line = seen["restore"]
    assert restore_line.count("\n") == 1, restore_line
    assert restore_line.startswith("Đã khôi phục từ loa-sao-luu"), restore_line
    assert f"CSDL {engine}, 1 tệp đính kèm," in restore_line
    # The backup was one migration behind: restore brought it to the current schema.
    assert "đã cập nhật CSDL lên phiên bản hiện tại (1 migration)" in restore_line
    assert seen["unapplied"] == []

    assert seen["after"] == before  # records, evidence bytes, index bytes, search
    # The install's generated key came back with the data, so its links still verify.
    assert seen["key_after"] == seen["key_before"] and seen["key_mode"] == "0o600"
    # The restored index got a newer version number, so running processes reload it.
    assert seen["other_process_reloaded"] is True
    assert seen["other_process_finds"] == before["assistant"]


# -- refusals: nothing changes ---------------------------------------------------------


def leftovers(*roots: Path) -> list[str]:
    return [
        p.name
        for root in roots
        for p in root.rglob("*")
        if ".restore-" in p.name or ".old-" in p.name
    ]


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_truncated_archive_is_refused_and_nothing_changes(data_dir, tmp_path, suffix):
    make_records()
    archive = tmp_path / f"sao-luu{suffix}"
    assert run("backup", "-o", str(archive)).startswith("Đã sao lưu")
    truncated = tmp_path / f"cat-cut{suffix}"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(truncated), "--force")

    assert str(refused.value) == (
        f"Tệp sao lưu cat-cut{suffix} bị hỏng hoặc không đầy đủ ("
        + (
            "tệp .zip bị cắt cụt hoặc sai dữ liệu"
            if suffix == ".zip"
            else "tệp nén bị cắt cụt hoặc sai dữ liệu"
        )
        + "): không khôi phục, dữ liệu hiện tại giữ nguyên."
    )
    assert snapshot() == before
    assert leftovers(data_dir, tmp_path) == []


def rewrite(archive: Path, target: Path, change) -> None:
    """Copy a .tar.gz backup, letting change(name, data) -> (name, data) edit members."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for info in src.getmembers():
            name, data = change(info.name, src.extractfile(info).read())
            new = tarfile.TarInfo(name)
            new.size = len(data)
            dst.addfile(new, io.BytesIO(data))


def test_tampered_file_is_refused_by_its_checksum(data_dir, tmp_path):
    make_records()
    archive = tmp_path / "sao-luu.tar.gz"
    run("backup", "-o", str(archive))
    tampered = tmp_path / "sua-doi.tar.gz"

    def change(name, data):
        if name.startswith("media/evidence/"):
            return name, data.replace(b"02/3/2026", b"03/3/2026")
        return name, data

    rewrite(archive, tampered, change)
    before = snapshot()

    message = run("restore", str(tampered), "--force")

    assert message.startswith("CommandError: Tệp sao lưu sua-doi.tar.gz bị hỏng")
    assert "sai mã kiểm tra sha256" in message
    assert snapshot() == before
    assert leftovers(data_dir, tmp_path) == []


def test_backup_of_another_engine_is_refused(data_dir, tmp_path):
    make_records()
    archive = tmp_path / "sao-luu.tar.gz"
    run("backup", "-o", str(archive))
    ours = connection.vendor
    other = "postgresql" if ours == "sqlite" else "sqlite"
    other_member = {
        "sqlite": backup.SQLITE_MEMBER,
        "postgresql": backup.POSTGRES_MEMBER,
    }

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"].update(engine=other, file=other_member[other])
            for entry in manifest["files"]:
                if entry["path"] == other_member[ours]:
                    entry["path"] = other_member[other]
            return name, json.dumps(manifest).encode()
        if name == other_member[ours]:
            return other_member[other], data
        return name, data

    foreign = tmp_path / "khac-loai.tar.gz"
    rewrite(archive, foreign, change)
    before = snapshot()

    message = run("restore", str(foreign), "--force")

    theirs, mine = backup.ENGINE_NAMES[other], backup.ENGINE_NAMES[ours]
    assert message == (
        f"CommandError: Bản sao lưu chứa CSDL {theirs} nhưng Loa đang dùng {mine}: "
        "không khôi phục được giữa hai loại CSDL khác nhau."
    )
    assert snapshot() == before


def test_backup_of_a_newer_loa_is_refused(data_dir, tmp_path):
    make_records()
    archive = tmp_path / "sao-luu.tar.gz"
    run("backup", "-o", str(archive))

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["plans"].append("9999_tu_tuong_lai")
            return name, json.dumps(manifest).encode()
        return name, data

    newer = tmp_path / "ban-moi.tar.gz"
    rewrite(archive, newer, change)
    before = snapshot()

    message = run("restore", str(newer), "--force")

    assert message.startswith(
        "CommandError: Bản sao lưu được tạo bởi phiên bản Loa mới"
    )
    assert "plans.9999_tu_tuong_lai" in message
    assert snapshot() == before


def test_restore_over_a_non_empty_database_needs_force(data_dir, tmp_path):
    make_records()
    archive = tmp_path / "sao-luu.zip"
    run("backup", "-o", str(archive))
    Ward.objects.filter(slug=WARD_SLUG).update(name="Đổi sau sao lưu")
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    message = str(refused.value)
    assert message.startswith("CSDL hiện đã có dữ liệu (")
    assert "phường/xã" in message and "kế hoạch" in message
    assert message.endswith(
        "khôi phục sẽ thay toàn bộ. Thêm --force nếu chắc chắn muốn ghi đè."
    )
    assert snapshot() == before


def test_not_a_backup_and_missing_file_are_refused(data_dir, tmp_path):
    stray = tmp_path / "ghi-chu.tar.gz"
    stray.write_bytes(gzip.compress(b"khong phai kho tar"))
    assert "bị hỏng hoặc không đầy đủ" in run("restore", str(stray), "--force")
    no_manifest = tmp_path / "thieu.zip"
    with zipfile.ZipFile(no_manifest, "w") as z:
        z.writestr("media/a.txt", b"a")
    assert run("restore", str(no_manifest), "--force").endswith(
        "(thiếu manifest.json): không khôi phục, dữ liệu hiện tại giữ nguyên."
    )
    assert run("restore", str(tmp_path / "khong-co.tar.gz")).startswith(
        "CommandError: Không tìm thấy tệp sao lưu"
    )
    assert run("backup", "-o", str(tmp_path / "sao-luu.rar")).startswith(
        "CommandError: Tên tệp sao lưu phải có đuôi .tar.gz hoặc .zip"
    )


# -- what goes into the archive --------------------------------------------------------


def test_archive_has_a_manifest_and_no_secret_or_environment(
    data_dir, tmp_path, settings, monkeypatch
):
    settings.SECRET_KEY = "bi-mat-khong-duoc-sao-luu-5d41402abc4b2a76"
    monkeypatch.setenv("LOA_TEST_TOKEN", "token-moi-truong-7c9e6679f2a4")
    make_records()
    archive = tmp_path / "sao-luu.zip"
    run("backup", "-o", str(archive))

    assert archive.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        contents = {name: z.read(name) for name in names}
    assert names[-1] == "manifest.json"
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format"] == "loa-backup" and manifest["format_version"] == 1
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["loa_version"] == backup.loa_version() != "không rõ"
    assert manifest["created_at"]
    assert "0001_initial" in manifest["migrations"]["core"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(contents[name]).hexdigest()
        assert entry["size"] == len(contents[name])
    assert "indexes/thu-nghiem/chi-muc.bin" in listed
    assert any(n.startswith("indexes/assistant/v") for n in listed)
    evidence = [n for n in names if n.startswith("media/evidence/")]
    assert [contents[n] for n in evidence] == [EVIDENCE]
    for data in contents.values():
        assert settings.SECRET_KEY.encode() not in data
        assert b"token-moi-truong-7c9e6679f2a4" not in data


def test_sqlite_snapshot_is_consistent_while_another_process_writes(tmp_path):
    """The online backup API copies one committed state even while a writer commits:
    every transaction of the writer inserts two rows, so a torn copy would be odd."""
    import threading

    live = tmp_path / "dang-ghi.sqlite3"
    with sqlite3.connect(live) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        db.execute("INSERT INTO django_migrations VALUES ('core', '0001_initial')")
        db.execute("CREATE TABLE t (n INTEGER, payload BLOB)")
    stop = threading.Event()

    def write():
        with sqlite3.connect(live, timeout=20) as db:
            n = 0
            while not stop.is_set():
                with db:
                    db.execute("INSERT INTO t VALUES (?, randomblob(4000))", (n,))
                    db.execute("INSERT INTO t VALUES (?, randomblob(4000))", (n,))
                n += 1

    class LiveConnection:  # what _sqlite_snapshot uses of Django's connection
        def __init__(self):
            self.connection = sqlite3.connect(live, check_same_thread=False)

        def ensure_connection(self):
            pass

    writer = threading.Thread(target=write)
    writer.start()
    try:
        counts = []
        for i in range(5):
            copy = tmp_path / f"ban-sao-{i}.sqlite3"
            source = LiveConnection()
            migrations = _sqlite_snapshot(source, copy)
            source.connection.close()
            with sqlite3.connect(copy) as db:
                assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
                count, pairs = db.execute(
                    "SELECT count(*), count(DISTINCT n) FROM t"
                ).fetchone()
            assert count == 2 * pairs
            assert migrations == {"core": ["0001_initial"]}
            counts.append(count)
    finally:
        stop.set()
        writer.join()
    assert counts[-1] > 0


def test_a_restored_index_with_the_same_version_number_is_still_reloaded(tmp_path):
    """A process reloads its index only when CURRENT changes; a restored index that
    happens to carry the number in use (say after `index_rebuild` restarted the count)
    gets the next number."""
    from loa.assistant.retrieval import Passage

    def index_with(root: Path, text: str) -> Retriever:
        retriever = Retriever(index_dir=root / "assistant")
        retriever.upsert(
            [Passage(id="doc:1#0", doc_id="doc:1", title="Thông báo", text=text)]
        )
        retriever.save()
        return retriever

    live, staged = tmp_path / "indexes", tmp_path / ".indexes.restore-1"
    index_with(live, "Lịch tiếp công dân thứ năm hằng tuần")
    restored = index_with(staged, "Hướng dẫn cài ứng dụng VNeID mức hai")
    assert restored.version == 1
    running = Retriever(index_dir=live / "assistant")  # loaded version 1 too
    assert running.search("VNeID") == []

    _bump_index_versions(staged, live)
    _swap_dir(staged, live)

    assert (live / "assistant" / "CURRENT").read_text() == "2\n"
    assert running.refresh() is True
    assert [h.passage.text for h in running.search("VNeID")] == [
        "Hướng dẫn cài ứng dụng VNeID mức hai"
    ]
    assert not staged.exists() and leftovers(tmp_path) == []


def test_backup_refuses_to_write_into_the_folders_it_saves(data_dir):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    message = run("backup", "-o", str(media / "sao-luu.tar.gz"))
    assert message.startswith("CommandError: Không ghi tệp sao lưu vào ")
    assert not (media / "sao-luu.tar.gz").exists()


# -- PostgreSQL ------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_restore_drops_tables_of_a_newer_schema(data_dir, tmp_path):
    """A table added after the backup (say by a newer migration) that references
    restored tables neither blocks the restore nor survives it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    make_records()
    archive = tmp_path / "sao-luu.tar.gz"
    run("backup", "-o", str(archive))
    before = snapshot()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE loa_bang_moi (id serial PRIMARY KEY, "
                "ward_id bigint NOT NULL REFERENCES core_ward (id))"
            )
            cursor.execute(
                "INSERT INTO loa_bang_moi (ward_id) SELECT id FROM core_ward"
            )
        Ward.objects.filter(slug=WARD_SLUG).update(name="Đổi sau sao lưu")

        assert run("restore", str(archive), "--force").startswith("Đã khôi phục")

        assert "loa_bang_moi" not in connection.introspection.table_names()
        assert snapshot() == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS loa_bang_moi")
