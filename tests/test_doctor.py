"""`gongkai doctor`: a healthy county folder passes every check; a folder broken in each way is told what is
wrong and what to do, with exit status 1. Nothing but 127.0.0.1 is ever contacted."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from gongkai import config
from gongkai.cli import main
from gongkai.doctor import diagnose, report
from gongkai.parsers.sources.ocr_models import package_dir
from gongkai.warehouse.schema import LATEST_VERSION, migrate, open_warehouse, schema_version

REGISTER = "name,aliases,code\n汤旺河镇,汤旺河镇人民政府,230717100000\n东风镇,,230717101000\n青山乡,青山;青山乡政府,\n"


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    # Prefect's check follows PREFECT_API_URL, and urllib would send even a loopback request to a proxy.
    for name in ("PREFECT_API_URL", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def with_libreoffice(monkeypatch):
    """LibreOffice there or not, whatever this machine has: the checks ask parsers.sources.office."""

    def set_to(command: str | None) -> None:
        monkeypatch.setattr("gongkai.parsers.sources.office.libreoffice", lambda: command)

    set_to("/usr/bin/soffice")
    return set_to


@pytest.fixture
def county(tmp_path, with_libreoffice) -> Path:
    """A county folder with everything a run needs: config, register, inbox with reports, current warehouse."""
    folder = tmp_path / "汤旺县"
    folder.mkdir()
    (folder / config.CONFIG_NAME).write_text(config.render("汤旺县"), encoding="utf-8")
    (folder / "townships.csv").write_text(REGISTER, encoding="utf-8")
    inbox = folder / "inbox"
    (inbox / "东风镇").mkdir(parents=True)
    (inbox / "汤旺河镇2023年报.pdf").write_bytes(b"%PDF-1.4\n")
    (inbox / "东风镇" / "2023年报.html").write_text("<html></html>", encoding="utf-8")
    (inbox / "青山乡2023年报.ofd").write_bytes(b"PK\x03\x04")  # read by no reader: rejected with advice
    (inbox / "说明.txt").write_text("不是报告", encoding="utf-8")
    (inbox / ".gongkai").mkdir()
    (inbox / ".gongkai" / "page.html").write_text("<html></html>", encoding="utf-8")  # collection's, not a report
    open_warehouse(folder / "gongkai.duckdb").close()
    return folder


def _doctor(folder: Path, capsys) -> tuple[int, str]:
    code = main(["doctor", "--config", str(folder)])
    return code, capsys.readouterr().out


def _line(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line[2:].startswith(name + "："))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_healthy_folder_passes_every_check(county, capsys):
    before = _digest(county / "gongkai.duckdb")
    code, out = _doctor(county, capsys)
    assert code == 0, out
    assert _line(out, "配置文件") == f"✓ 配置文件：{county / config.CONFIG_NAME}（汤旺县）"
    assert _line(out, "乡镇名册") == f"✓ 乡镇名册：{county / 'townships.csv'}，3 个乡镇"
    assert _line(out, "收件文件夹") == (
        f"✓ 收件文件夹：{county / 'inbox'}，3 份报告文件（其中 1 份格式不能读取，运行时拒收并说明怎么办）"
    )
    assert _line(out, "数据仓库") == f"✓ 数据仓库：{county / 'gongkai.duckdb'}，结构版本 {LATEST_VERSION}（最新）"
    assert _line(out, "Prefect").startswith("✓ Prefect：未设置 PREFECT_API_URL：gongkai run 使用 Prefect 的临时模式")
    assert _line(out, "文字识别（OCR）").startswith("✓ 文字识别（OCR）：3 个模型文件齐全")
    assert (
        _line(out, "LibreOffice")
        == "✓ LibreOffice：/usr/bin/soffice：旧版 Word（.doc）、WPS（.wps）、RTF、ODT 格式的报告可以读取"
    )
    assert "✗" not in out and "解决" not in out
    assert out.rstrip().endswith("全部正常，可以运行 gongkai run。")
    # Checked, not touched: the warehouse is byte for byte what it was, and no write-ahead log appeared.
    assert _digest(county / "gongkai.duckdb") == before
    assert not (county / "gongkai.duckdb.wal").exists()


def test_without_libreoffice_office_files_are_a_problem_and_otherwise_a_note(county, capsys, with_libreoffice):
    with_libreoffice(None)
    code, out = _doctor(county, capsys)
    assert code == 0, out
    assert (
        _line(out, "LibreOffice") == "! LibreOffice：未安装：.doc/.wps/.rtf/.odt 格式的报告将被拒收（拒收时说明怎么办）"
    )
    assert "建议：安装 LibreOffice：sudo apt-get install libreoffice-writer-nogui" in out
    (county / "inbox" / "青山乡2022年报.wps").write_bytes(b"\xd0\xcf\x11\xe0")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "LibreOffice") == (
        "✗ LibreOffice：未安装：收件文件夹中有 1 份 .doc/.wps/.rtf/.odt 报告，运行时将无法读取"
    )
    assert _line(out, "收件文件夹").endswith("4 份报告文件（其中 2 份格式不能读取，运行时拒收并说明怎么办）")


def test_the_current_folder_is_read_by_default(county, capsys, monkeypatch):
    monkeypatch.chdir(county)
    assert main(["doctor"]) == 0
    assert f"✓ 配置文件：{county / config.CONFIG_NAME}" in capsys.readouterr().out


def test_a_folder_without_config_says_to_init_and_skips_its_paths(tmp_path):
    out = io.StringIO()
    assert report(diagnose(None, cwd=tmp_path), out) == 1
    text = out.getvalue()
    assert f"✗ 配置文件：当前文件夹 {tmp_path} 中没有 gongkai.toml" in text
    assert "解决：运行 gongkai init 文件夹 建立县区文件夹" in text
    for name in ("乡镇名册", "收件文件夹", "数据仓库"):
        assert f"- {name}：未检查（需要先有可用的配置文件）" in text
    assert "✓ 文字识别（OCR）" in text  # independent of the folder: still checked
    assert "发现 1 项问题" in text


def test_bad_toml(county, capsys):
    (county / config.CONFIG_NAME).write_text("county = 汤旺县\n", encoding="utf-8")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "配置文件").startswith(f"✗ 配置文件：配置文件 {county / config.CONFIG_NAME}：第 1 行")
    assert "不符合 TOML 格式" in out
    assert "解决：按上面的说明改正 gongkai.toml，再运行 gongkai doctor" in out
    assert "- 乡镇名册：未检查" in out


def test_unknown_setting(county, capsys):
    path = county / config.CONFIG_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("workers = 2", "workerz = 2"), encoding="utf-8")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert "✗ 配置文件：" in out and "run.workerz" in out and "是不是 run.workers？" in out


@pytest.mark.parametrize(
    ("register", "said"),
    [
        (REGISTER + "汤旺河镇,,230717100001\n", "第 2、5 行都是“汤旺河镇”：只有最后一行生效，请合并为一行。"),
        (REGISTER + ",红光,230717102000\n", "第 5 行有内容但乡镇名称（name）为空，这一行不会读入。"),
        (
            REGISTER + "红光镇,东风镇,230717102000\n",
            "第 5 行“红光镇”的别名“东风镇”是另一个乡镇的名称：报告会对不上乡镇，请删去这个别名。",
        ),
        (
            REGISTER + "青峰镇,青山,230717103000\n",
            "别名“青山”同时属于第 4 行“青山乡”、第 5 行“青峰镇”：报告会对不上乡镇，请只留给其中一个。",
        ),
        ("乡镇,别名\n汤旺河镇,\n", "第 1 行应是列名且包含 name 列（实为：乡镇，别名）。"),
        ("name,aliases,code\n#汤旺河镇,,230717100000\n", "名册中没有任何乡镇：每个乡镇一行，name 列填写名称。"),
    ],
    ids=["duplicate", "empty-name", "alias-is-a-name", "alias-twice", "no-name-column", "no-township"],
)
def test_register_problems(county, capsys, register, said):
    (county / "townships.csv").write_text(register, encoding="utf-8")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "乡镇名册") == f"✗ 乡镇名册：{county / 'townships.csv'}：1 处问题"
    assert f"    · {said}\n" in out
    assert "解决：按上面逐条改正乡镇名册，再运行 gongkai doctor" in out


def test_a_name_in_two_counties_is_no_duplicate(county, capsys):
    (county / "townships.csv").write_text(
        "name,county,aliases\n城关镇,汤旺县,\n城关镇,伊美区,\n东风镇,汤旺县,东风\n红星镇,伊美区,东风\n",
        encoding="utf-8",
    )
    code, out = _doctor(county, capsys)
    assert code == 0, out
    assert _line(out, "乡镇名册").endswith("，4 个乡镇")


def test_register_missing_or_in_no_known_encoding(county, capsys):
    (county / "townships.csv").write_bytes(REGISTER.encode("gbk"))  # Excel's plain CSV on a Chinese Windows
    code, out = _doctor(county, capsys)
    assert code == 0 and _line(out, "乡镇名册").endswith("，3 个乡镇")
    (county / "townships.csv").write_bytes(b"name\n\xff\xfe\x80\n")
    code, out = _doctor(county, capsys)
    assert code == 1 and "· 既不是 UTF-8 也不是 GBK 编码：请用 Excel 或 WPS“另存为” CSV UTF-8。" in out
    (county / "townships.csv").unlink()
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "乡镇名册") == f"✗ 乡镇名册：找不到 {county / 'townships.csv'}"
    assert "或改正 gongkai.toml 中的 paths.townships" in out


def test_missing_inbox(county, capsys):
    shutil.rmtree(county / "inbox")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "收件文件夹") == f"✗ 收件文件夹：找不到 {county / 'inbox'}"
    assert "解决：新建这个文件夹，把各乡镇的年度报告放进去" in out and "paths.inbox" in out


def test_empty_inbox_is_a_note_not_a_problem(county, capsys):
    shutil.rmtree(county / "inbox")
    (county / "inbox").mkdir()
    code, out = _doctor(county, capsys)
    assert code == 0
    assert _line(out, "收件文件夹") == f"! 收件文件夹：{county / 'inbox'} 中还没有报告文件"
    assert "建议：把各乡镇的年度报告" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder: run as a user to test it")
def test_warehouse_in_a_read_only_folder(county, capsys):
    (county / "gongkai.duckdb").unlink()
    (county / "ro").mkdir(mode=0o555)
    path = county / config.CONFIG_NAME
    path.write_text(path.read_text(encoding="utf-8").replace('"gongkai.duckdb"', '"ro/gongkai.duckdb"'), "utf-8")
    try:
        code, out = _doctor(county, capsys)
    finally:
        (county / "ro").chmod(0o755)
    assert code == 1
    assert f"· 无法写入：文件夹 {county / 'ro'} 没有写入权限" in out


def test_warehouse_where_no_folder_can_be_made(county, capsys):
    (county / "gongkai.duckdb").unlink()
    (county / "data").write_text("一个文件，不是文件夹", encoding="utf-8")
    path = county / config.CONFIG_NAME
    path.write_text(path.read_text(encoding="utf-8").replace('"gongkai.duckdb"', '"data/gongkai.duckdb"'), "utf-8")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "数据仓库") == f"✗ 数据仓库：{county / 'data' / 'gongkai.duckdb'} 尚未建立，也无法建立"
    assert f"· 无法写入：{county / 'data'} 是文件而不是文件夹" in out
    assert "或改正 gongkai.toml 中的 paths.db" in out


def test_a_new_warehouse_is_fine(county, capsys):
    (county / "gongkai.duckdb").unlink()
    code, out = _doctor(county, capsys)
    assert code == 0
    assert _line(out, "数据仓库") == f"✓ 数据仓库：{county / 'gongkai.duckdb'} 尚未建立，第一次 gongkai run 时建立"
    assert not (county / "gongkai.duckdb").exists()  # the check made nothing


def test_a_warehouse_setting_naming_a_folder_says_to_name_a_file(county, capsys):
    (county / "gongkai.duckdb").unlink()
    (county / "gongkai.duckdb").mkdir()
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "数据仓库") == f"✗ 数据仓库：{county / 'gongkai.duckdb'} 是文件夹，不是数据仓库文件"
    assert (
        f"改正 gongkai.toml 中的 paths.db：写数据仓库文件的路径，如 {county / 'gongkai.duckdb' / 'gongkai.duckdb'}"
        in out
    )
    assert "写入权限" not in out


def test_warehouse_at_an_older_schema(county, capsys):
    db = county / "gongkai.duckdb"
    db.unlink()
    with duckdb.connect(str(db)) as con:
        assert migrate(con, target=3) == 3
    before = _digest(db)
    code, out = _doctor(county, capsys)
    assert code == 1
    assert f"· 结构版本 3，比本程序的 {LATEST_VERSION} 旧" in out
    assert "解决：运行一次 gongkai run：数据仓库自动升级到本程序的结构，数据都保留" in out
    assert _digest(db) == before  # not upgraded by the check
    with duckdb.connect(str(db), read_only=True) as con:
        assert schema_version(con) == 3


def test_warehouse_at_a_newer_schema(county, capsys):
    with duckdb.connect(str(county / "gongkai.duckdb")) as con:
        con.execute("INSERT INTO schema_version VALUES (?, 'from_the_future', now())", [LATEST_VERSION + 1])
    code, out = _doctor(county, capsys)
    assert code == 1
    assert f"· 结构版本 {LATEST_VERSION + 1}，比本程序的 {LATEST_VERSION} 新：由更新版本的 gongkai 写入" in out
    assert "解决：升级 gongkai 到写入它的版本后再使用" in out


def test_a_file_that_is_no_warehouse(county, capsys):
    (county / "gongkai.duckdb").write_text("这不是数据仓库", encoding="utf-8")
    code, out = _doctor(county, capsys)
    assert code == 1
    assert "· 不是可用的 DuckDB 数据仓库（" in out and "not a valid DuckDB database file" in out
    assert "或把这个文件移走（下次 gongkai run 新建数据仓库）" in out


def test_a_warehouse_in_use_is_a_note(county, capsys):
    db = county / "gongkai.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print(1, flush=True); input()",
            db,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "1"
        code, out = _doctor(county, capsys)
    finally:
        holder.communicate("\n", timeout=30)
    assert code == 0
    assert _line(out, "数据仓库") == (
        f"! 数据仓库：{db} 正被另一个程序使用（可能是正在进行的 gongkai run），无法读取结构版本"
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_prefect_unreachable(county, capsys, monkeypatch):
    url = f"http://127.0.0.1:{_closed_port()}/api"
    monkeypatch.setenv("PREFECT_API_URL", url)
    code, out = _doctor(county, capsys)
    assert code == 1
    assert _line(out, "Prefect") == f"✗ Prefect：连不上 PREFECT_API_URL 指定的 Prefect 服务器 {url}"
    assert "解决：启动该服务器（如 prefect server start）" in out
    assert "解决：或取消 PREFECT_API_URL（unset PREFECT_API_URL）：gongkai run 改用临时模式，无需服务器" in out


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        ok = self.path == "/api/health"
        self.send_response(200 if ok else 404)
        self.end_headers()
        self.wfile.write(b"true" if ok else b"")

    def log_message(self, *args):
        pass


def test_prefect_reachable(county, capsys, monkeypatch):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api"
        monkeypatch.setenv("PREFECT_API_URL", url)
        code, out = _doctor(county, capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0
    assert _line(out, "Prefect") == f"✓ Prefect：PREFECT_API_URL 指定的服务器 {url} 可以连接"


def test_ocr_model_missing(county, tmp_path):
    # A copy of the installed package's config naming its models, with one model left out and one empty.
    package = tmp_path / "rapidocr"
    (package / "models").mkdir(parents=True)
    installed = package_dir()
    shutil.copy(installed / "config.yaml", package / "config.yaml")
    models = sorted((installed / "models").glob("*.onnx"))
    assert len(models) == 3
    (package / "models" / models[0].name).symlink_to(models[0])
    (package / "models" / models[1].name).write_bytes(b"")
    out = io.StringIO()
    assert report(diagnose(county, ocr_package=package), out) == 1
    text = out.getvalue()
    assert "✗ 文字识别（OCR）：扫描件将无法读取：2 处问题" in text
    assert f"· 模型文件 {package / 'models' / models[1].name} 是空文件" in text
    assert f"· 缺少模型文件 {package / 'models' / models[2].name}" in text
    assert "解决：重新安装文字识别组件：.venv/bin/pip install --force-reinstall rapidocr-onnxruntime==1.4.4" in text
    assert "发现 1 项问题" in text


def test_the_schedule_in_the_countys_time(county, monkeypatch):
    """doctor says when serve would run and in which zone: China's when the machine says UTC, with where to
    set another; the folder's serve.timezone when it names one."""
    from datetime import UTC, datetime

    from gongkai.doctor import check_schedule

    monkeypatch.setenv("TZ", "UTC")
    settings = config.load(county / config.CONFIG_NAME)
    now = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
    check = check_schedule(settings, now)
    assert (check.status, check.detail) == (
        "ok",
        "gongkai serve 按“0 2 * * *”运行，时区 Asia/Shanghai（本机时区为 UTC，按中国时间），"
        "下次运行在 2026-12-08 02:00（另一时区可在 gongkai.toml 的 [serve] 中设置 timezone）",
    )
    check = check_schedule(replace(settings, timezone="Asia/Urumqi"), now)
    assert (check.status, check.detail) == (
        "ok",
        "gongkai serve 按“0 2 * * *”运行，时区 Asia/Urumqi（gongkai.toml 中的 serve.timezone），"
        "下次运行在 2026-12-08 02:00",
    )
