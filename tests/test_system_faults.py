"""The system failing under a run: full disks, file-size limits, refused permissions, standard output
closed or full, signals, concurrent runs into one folder.

Faults are injected for real, never mocked: a file-size limit (``RLIMIT_FSIZE``, SIGXFSZ ignored) set in
the child process, ``/dev/full`` (every write fails with ENOSPC), ``/sys`` (where even the superuser
cannot create files), a pipe whose reading end is closed, real signals sent to a real process. Each
failure must be a data error (exit status 1) naming the path and the cause, never blamed on a plugin,
with nothing half-written left and an older file of the same name unchanged.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from amiga_heatmap.output.own_outputs import MANIFEST, _read_manifest

from .conftest import REPOSITORY, wait_during_run, writing_in_renderer

AXES = ("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean")
LINUX_DEVICES = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
PLUGIN_HEADER = "from amiga_heatmap import hookimpl\nfrom amiga_heatmap.components import *\n"


def command(*args: object) -> list[str]:
    return [sys.executable, "-m", "amiga_heatmap", *map(str, args)]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPOSITORY), "AMIGA_HEATMAP_PLUGINS": ""}


def file_size_limit(limit: int):
    """A ``preexec_fn`` injecting the fault: files of the child may not grow past ``limit`` bytes, and a
    write past it fails with EFBIG (SIGXFSZ ignored, as Python does) instead of killing the process."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind."""
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def plugins_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    for name, code in files.items():
        (folder / f"{name}.py").write_text(PLUGIN_HEADER + textwrap.dedent(code), encoding="utf-8")
    return folder


def render_with_plugins(run_cli, plugins: Path, summary, out: Path, file_format: str):
    """Run the CLI with the plugins folder ``plugins``, writing ``out/figure`` as ``file_format``."""
    return run_cli("--plugins-dir", plugins, "-i", summary, *AXES, "-o", "figure", "--output-dir", out,
                   "--format", file_format)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# ------------------------------------------------------------------------------------- full disks


@pytest.mark.parametrize("file_format", ["pdf", "png", "tsv"])
def test_a_file_size_limit_is_a_data_error_naming_the_file_and_leaves_the_older_file(
    summary, out, file_format
):
    older = out / f"limited.{file_format}"
    older.write_bytes(b"an older figure")
    done = subprocess.run(
        command("-i", summary, *AXES, "-o", "limited", "--output-dir", out, "--format", file_format),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=300,
        preexec_fn=file_size_limit(8192),
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"Cannot write '{older}'" in done.stderr
    assert "(EFBIG)" in done.stderr and "ulimit -f" in done.stderr
    assert "Plugin" not in done.stderr and "Traceback" not in done.stderr
    assert older.read_bytes() == b"an older figure"
    assert leftovers(out) == []


@LINUX_DEVICES
def test_a_full_disk_inside_a_plugin_renderer_is_the_systems_fault_not_the_plugins(
    summary, out, tmp_path, run_cli
):
    plugins = plugins_folder(
        tmp_path,
        full="""
        def render(result, path, file_format, options):
            with open(path, "w") as partial:
                partial.write("half a figure")
            with open("/dev/full", "w") as device:   # every write fails with ENOSPC
                device.write("x" * 100_000)

        @hookimpl
        def register_renderers(register):
            register(Renderer("full", ("full",), render))
    """,
    )
    result = render_with_plugins(run_cli, plugins, summary, out, "full")
    assert result.exit_code == 1, result.stderr
    assert f"Cannot write '{out / 'figure.full'}': the disk is full (ENOSPC)" in result.stderr
    assert "Plugin" not in result.stderr
    assert list(out.iterdir()) == []


def test_a_system_fault_hidden_behind_another_exception_is_still_the_systems(summary, out, tmp_path, run_cli):
    # matplotlib's PDF writer reports a full disk as a zlib.error raised while it handles the OSError
    plugins = plugins_folder(
        tmp_path,
        hiding="""
        import errno

        def render(result, path, file_format, options):
            try:
                raise OSError(errno.EDQUOT, "Disk quota exceeded")
            except OSError:
                raise RuntimeError("Error -2 while flushing: inconsistent stream state")

        @hookimpl
        def register_renderers(register):
            register(Renderer("hiding", ("hiding",), render))
    """,
    )
    result = render_with_plugins(run_cli, plugins, summary, out, "hiding")
    assert result.exit_code == 1, result.stderr
    assert "the disk quota is used up (EDQUOT)" in result.stderr
    assert "Plugin" not in result.stderr


def test_a_plugin_bug_that_is_an_oserror_is_still_the_plugins(summary, out, tmp_path, run_cli):
    plugins = plugins_folder(
        tmp_path,
        lost="""
        def render(result, path, file_format, options):
            open("/no/such/template.svg")

        @hookimpl
        def register_renderers(register):
            register(Renderer("lost", ("lost",), render))
    """,
    )
    result = render_with_plugins(run_cli, plugins, summary, out, "lost")
    assert result.exit_code == 3, result.stderr
    assert "Plugin 'lost' failed while rendering" in result.stderr


def test_a_refused_permission_while_reading_is_a_data_error(summary, tmp_path, run_cli):
    plugins = plugins_folder(
        tmp_path,
        guarded="""
        import errno

        def read(path, columns):
            raise PermissionError(errno.EACCES, "Permission denied", path)

        @hookimpl
        def register_readers(register):
            register(Reader("guarded", (".guarded",), read, lambda path: ["Isolate", "Substrate", "gr"]))
    """,
    )
    source = tmp_path / "plate.guarded"
    source.write_text("Isolate\tSubstrate\tgr\n", encoding="utf-8")
    result = run_cli("--plugins-dir", plugins, "-i", source, *AXES, "--format", "tsv")
    assert result.exit_code == 1, result.stderr
    assert f"Cannot read '{source}': permission denied (EACCES)" in result.stderr


@pytest.mark.skipif(not os.path.isdir("/sys"), reason="needs Linux's /sys")
def test_a_folder_nobody_may_write_into_fails_before_any_data_is_read(tmp_path, run_cli):
    marker = tmp_path / "read"
    plugins = plugins_folder(
        tmp_path,
        watched=f"""
        def read(path, columns):
            open({str(marker)!r}, "w").close()
            raise RuntimeError("should not be read")

        @hookimpl
        def register_readers(register):
            register(Reader("watched", (".watched",), read, lambda path: ["Isolate", "Substrate", "gr"]))
    """,
    )
    source = tmp_path / "plate.watched"
    source.write_text("Isolate\tSubstrate\tgr\n", encoding="utf-8")
    result = run_cli("--plugins-dir", plugins, "-i", source, *AXES, "--output-dir", "/sys", "-o", "figure")
    assert result.exit_code == 1
    assert "Cannot write into '/sys': Permission denied" in result.stderr
    assert not marker.exists()


# ----------------------------------------------------------------------------- outputs in the way


def test_a_folder_named_like_the_output_is_refused_before_anything_is_drawn(summary, out, tmp_path, run_cli):
    (out / "r.pdf").mkdir()
    marker = tmp_path / "drawn"
    plugins = plugins_folder(
        tmp_path,
        watched=f"""
        def render(result, path, file_format, options):
            open({str(marker)!r}, "w").close()

        @hookimpl
        def register_renderers(register):
            register(Renderer("watched", ("pdf",), render))
    """,
    )
    result = run_cli(
        "--plugins-dir",
        plugins,
        "--renderer",
        "watched",
        "-i",
        summary,
        *AXES,
        "-o",
        "r",
        "--output-dir",
        out,
    )
    assert result.exit_code == 1, result.stderr
    assert f"Cannot write '{out / 'r.pdf'}': a folder of that name is in the way" in result.stderr
    assert not marker.exists()


def test_a_folder_named_like_a_legend_file_stops_the_run_before_the_figure_is_written(summary, out, run_cli):
    (out / "r_x_legend.png").mkdir()
    result = run_cli(
        "-i",
        summary,
        *AXES,
        "-s",
        "PM:1",
        "-o",
        "r",
        "--output-dir",
        out,
        "--format",
        "png",
        "--color-x-by",
        "Strain",
    )
    assert result.exit_code == 1, result.stderr
    assert "a folder of that name is in the way" in result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["r_x_legend.png"]


def test_a_folder_named_like_the_filtered_table_is_refused_before_reading(summary, out, run_cli):
    (out / "r_filtered.txt").mkdir()
    result = run_cli(
        "-i", summary, *AXES, "-o", "r", "--output-dir", out, "--format", "tsv", "--save-filtered-table"
    )
    assert result.exit_code == 1, result.stderr
    assert "a folder of that name is in the way" in result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["r_filtered.txt"]


def test_a_name_longer_than_the_file_system_takes_is_refused_before_reading(summary, out, run_cli):
    result = run_cli("-i", summary, *AXES, "-o", "é" * 130, "--output-dir", out)
    assert result.exit_code == 1, result.stderr
    assert "its name is 264 bytes long" in result.stderr
    assert len(result.stderr) < 600


# ---------------------------------------------------------------------------------- standard output


@LINUX_DEVICES
def test_standard_output_on_a_full_device_is_reported_once_and_the_outputs_are_complete(summary, out):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            command("-i", summary, *AXES, "-o", "m", "--output-dir", out, "--format", "tsv"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=300,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        (
            "Error: Cannot write to standard output: the disk is full (ENOSPC). The output files were "
            "written; only this report of them is lost. Redirect standard output elsewhere (or not at all) "
            "to see it."
        )
    ]
    rows = pd.read_csv(summary, sep="\t")
    expected = rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna()
    written = pd.read_csv(out / "m.tsv", sep="\t", index_col=0)
    assert written.shape == expected.shape
    assert (written.loc[expected.index, expected.columns] - expected).abs().max().max() < 1e-9


def test_a_closed_pipe_on_standard_output_is_a_data_error_without_a_second_complaint(summary, out):
    reading, writing = os.pipe()
    os.close(reading)  # as `amiga-heatmap ... | head -c0` leaves it
    try:
        done = subprocess.run(
            command("-i", summary, *AXES, "-o", "p", "--output-dir", out, "--format", "tsv"),
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=300,
            check=False,
        )
    finally:
        os.close(writing)
    assert done.returncode == 1, done.stderr
    assert "Cannot write to standard output: the reading end of the pipe was closed (EPIPE)" in done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert (out / "p.tsv").is_file()


def test_the_plugin_listing_on_a_closed_pipe_is_a_data_error():
    reading, writing = os.pipe()
    os.close(reading)
    try:
        done = subprocess.run(
            command("plugins"),
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=120,
            check=False,
        )
    finally:
        os.close(writing)
    assert done.returncode == 1, done.stderr
    assert "(EPIPE)" in done.stderr and "Exception ignored" not in done.stderr


# ------------------------------------------------------------------------------------------ signals

SLOW_RENDERER = """
    import time

    def slow(result, path, file_format, options):
        with open(path, "w") as handle:
            handle.write("partial")
        time.sleep(120)

    @hookimpl
    def register_renderers(register):
        register(Renderer("slow", ("slow",), slow))
"""


def start_slow_run(summary: Path, out: Path, plugins: Path, **popen) -> subprocess.Popen:
    """A real run whose renderer writes its temporary file and then waits; returns once it waits."""
    process = subprocess.Popen(
        command(
            "--plugins-dir",
            plugins,
            "-i",
            summary,
            *AXES,
            "--format",
            "slow",
            "-o",
            "cut",
            "--output-dir",
            out,
        ),
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        **popen,
    )
    wait_during_run(process, lambda: writing_in_renderer(out, b"partial"), "the slow renderer's writing")
    return process


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM", "SIGQUIT", "SIGUSR1"])
def test_every_signal_that_ends_a_run_removes_the_temporary_file(summary, out, tmp_path, name):
    number = getattr(signal, name)
    (out / "cut.slow").write_text("an older output", encoding="utf-8")
    process = start_slow_run(summary, out, plugins_folder(tmp_path, slow=SLOW_RENDERER))
    process.send_signal(number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + number, stderr
    assert "Interrupted. A file being written was removed" in stderr
    assert leftovers(out) == []
    assert (out / "cut.slow").read_text(encoding="utf-8") == "an older output"


def test_a_signal_the_run_was_started_to_ignore_stays_ignored(summary, out, tmp_path):
    def ignore_hangups() -> None:  # what nohup does
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process = start_slow_run(
        summary, out, plugins_folder(tmp_path, slow=SLOW_RENDERER), preexec_fn=ignore_hangups
    )
    process.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    assert process.poll() is None, "SIGHUP was ignored"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert leftovers(out) == []


def test_a_signal_is_held_back_while_a_temporary_file_is_created_then_acts():
    code = textwrap.dedent("""
        import os, signal, sys
        from amiga_heatmap import ending_signals

        ending_signals.install()
        try:
            with ending_signals.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    pass
                print("finished the step", flush=True)
        except SystemExit as ended:
            print("ended with", ended.code, flush=True)
            raise
    """)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
        check=False,
    )
    assert done.stdout.splitlines() == ["finished the step", f"ended with {128 + signal.SIGTERM}"]
    assert done.returncode == 128 + signal.SIGTERM


# --------------------------------------------------------------------------- concurrent recording

RECORDER = """
import sys, time
from pathlib import Path
from amiga_heatmap.output.own_outputs import record_output

folder, worker, count, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
while time.time() < start:
    time.sleep(0.001)
for number in range(count):
    path = folder / f"{worker}-{number}.tsv"
    path.write_text(f"{worker} {number}")
    record_output(path)
"""


def test_concurrent_processes_recording_into_one_folder_lose_no_entry(tmp_path):
    workers, count = 6, 25
    start = time.time() + 3  # every process waits for this moment, so that they record at once
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(tmp_path), f"w{worker}", str(count), str(start)],
            env=environment(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(workers)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    recorded = _read_manifest(tmp_path)
    assert sorted(recorded) == sorted(
        f"w{worker}-{number}.tsv" for worker in range(workers) for number in range(count)
    )
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".part")]


def test_concurrent_runs_into_one_folder_are_all_skipped_by_a_later_folder_run(summary, out, run_cli):
    runs = [
        subprocess.Popen(
            command(
                "-i",
                summary,
                *AXES,
                "-o",
                f"run{number}",
                "--output-dir",
                out,
                "--format",
                "tsv",
                "--save-filtered-table",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        for number in range(3)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    written = sorted(path.name for path in out.iterdir() if not path.name.startswith("."))
    assert sorted(_read_manifest(out)) == written
    assert len(written) == 9  # per run: the table, the filtered rows and the provenance record
    result = run_cli("-i", out, *AXES, "--format", "tsv", "-o", "again")
    assert result.exit_code == 1  # everything in the folder is ours: nothing to read
    assert "holds no summary files" in result.stderr


def test_the_manifest_is_written_in_the_file_systems_bytes(tmp_path):
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from amiga_heatmap.output.own_outputs import record_output

        path = Path(sys.argv[1]) / sys.argv[2]   # under LANG=C, the name holds surrogate escapes
        path.write_text("x")
        record_output(path)
    """)
    ascii_locale = {
        **environment(),
        "LC_ALL": "C",
        "LANG": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), "résumé.pdf"],
        capture_output=True,
        env=ascii_locale,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "résumé.pdf".encode() in (tmp_path / MANIFEST).read_bytes()
    assert list(_read_manifest(tmp_path)) == ["résumé.pdf"]  # read back under UTF-8


def test_a_manifest_that_is_not_a_regular_file_is_ignored_without_hanging(tmp_path):
    os.mkfifo(tmp_path / MANIFEST)
    assert _read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).unlink()
    if Path("/dev/zero").exists():
        os.symlink("/dev/zero", tmp_path / MANIFEST)
        assert _read_manifest(tmp_path) == {}


# ------------------------------------------------------------------------------ misbehaving plugins

EXITS_ON_IMPORT = "import sys\nsys.exit(3)\n"
EXITS_WHILE_REGISTERING = """
    @hookimpl
    def register_aggregators(register):
        raise SystemExit(4)
"""
INTERRUPTS_ON_IMPORT = "raise KeyboardInterrupt\n"


@pytest.mark.parametrize(
    ("name", "code", "shown"),
    [
        ("exits", EXITS_ON_IMPORT, "could not be imported: SystemExit: 3."),
        ("exits_late", EXITS_WHILE_REGISTERING, "failed in its register_aggregators hook: SystemExit: 4."),
    ],
)
def test_a_plugin_that_exits_while_loading_is_skipped_like_any_broken_plugin(
    summary, out, tmp_path, run_cli, name, code, shown
):
    plugins = plugins_folder(tmp_path, **{name: code})
    result = run_cli(
        "--plugins-dir", plugins, "-i", summary, *AXES, "-o", "m", "--output-dir", out, "--format", "tsv"
    )
    assert result.exit_code == 0, result.stderr
    assert f"Warning: Plugin '{name}'" in result.stderr and shown in result.stderr
    assert (out / "m.tsv").is_file()
    strict = run_cli(
        "--plugins-dir",
        plugins,
        "--strict-plugins",
        "-i",
        summary,
        *AXES,
        "-o",
        "n",
        "--output-dir",
        out,
        "--format",
        "tsv",
    )
    assert strict.exit_code == 3
    assert shown in strict.stderr
    assert not (out / "n.tsv").exists()


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        (EXITS_ON_IMPORT, "could not be imported: SystemExit: 3."),
        (INTERRUPTS_ON_IMPORT, "could not be imported: KeyboardInterrupt"),
    ],
)
def test_a_plugin_exiting_or_interrupting_on_import_does_not_end_a_real_run(
    summary, out, tmp_path, code, shown
):
    # in a real process the command line knows which signals came, so a KeyboardInterrupt the plugin
    # raised itself is told from Ctrl-C
    plugins = plugins_folder(tmp_path, misbehaves=code)
    done = subprocess.run(
        command(
            "--plugins-dir", plugins, "-i", summary, *AXES, "-o", "m", "--output-dir", out, "--format", "tsv"
        ),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert shown in done.stderr
    assert "Wrote" in done.stdout and (out / "m.tsv").is_file()


def test_in_python_a_keyboard_interrupt_while_loading_counts_as_ctrl_c(tmp_path):
    from amiga_heatmap.plugin_system.active import get_plugins, plugin_options

    folder = plugins_folder(tmp_path, interrupts=INTERRUPTS_ON_IMPORT)
    with (
        plugin_options(directories=(str(folder),), disabled=(), strict=False),
        pytest.raises(KeyboardInterrupt),
    ):
        get_plugins()


def test_a_plugin_calling_sys_exit_while_running_is_a_plugin_error(summary, out, tmp_path, run_cli):
    plugins = plugins_folder(
        tmp_path,
        quits="""
        import sys

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("quits", lambda groups: sys.exit(0)))
    """,
    )
    result = run_cli(
        "--plugins-dir",
        plugins,
        "-i",
        summary,
        *AXES[:-1],
        "quits",
        "-o",
        "m",
        "--output-dir",
        out,
        "--format",
        "tsv",
    )
    assert result.exit_code == 3, result.stderr
    assert "Plugin 'quits' failed while" in result.stderr and "SystemExit" in result.stderr
    assert list(out.iterdir()) == []


def test_system_faults_are_found_behind_other_exceptions_and_enoent_is_not_one():
    from amiga_heatmap.system_faults import system_fault

    full = OSError(errno.ENOSPC, "No space left on device")
    try:
        try:
            raise full
        except OSError:
            raise ValueError("wrapped") from None  # even a suppressed context is found
    except ValueError as wrapped:
        assert system_fault(wrapped) is full
    caused = RuntimeError("flush failed")
    caused.__cause__ = OSError(errno.EFBIG, "File too large")
    assert system_fault(caused) is caused.__cause__
    assert system_fault(FileNotFoundError(errno.ENOENT, "missing")) is None
    assert system_fault(ValueError("no fault")) is None


@LINUX_DEVICES
@pytest.mark.parametrize(("value", "status"), [("gr", 0), ("gr_typo", 1)])
def test_standard_error_on_a_full_device_loses_the_messages_but_not_the_exit_status(
    summary, out, value, status
):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            command(
                "-i",
                summary,
                *AXES[:-3],
                value,
                *AXES[-2:],
                "-s",
                "Isolate:ER1,ER9",
                "-o",
                "w",
                "--output-dir",
                out,
                "--format",
                "tsv",
            ),
            stdout=subprocess.DEVNULL,
            stderr=full,
            env=environment(),
            timeout=300,
            check=False,
        )
    assert done.returncode == status
    assert (out / "w.tsv").is_file() == (status == 0)
