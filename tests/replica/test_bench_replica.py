"""`make bench` never fails for want of a replica: it says why it skipped."""

from bench import bench_replica


def test_the_bench_skips_without_postgresql(monkeypatch):
    monkeypatch.setattr(bench_replica, "_vendor", lambda: "sqlite")
    assert dict(bench_replica.run()) == {
        "replica_served": "skipped (needs PostgreSQL: make bench)"
    }


def test_the_bench_skips_when_it_cannot_start_the_replica(monkeypatch):
    monkeypatch.setattr(bench_replica, "_vendor", lambda: "postgresql")
    monkeypatch.setattr(bench_replica.os, "geteuid", lambda: 1000)
    assert dict(bench_replica.run()) == {
        "replica_served": "skipped (not root: scripts/replica.sh needs runuser postgres)"
    }


def test_the_bench_skips_when_the_script_fails(monkeypatch, tmp_path):
    failing = tmp_path / "replica.sh"
    failing.write_text(
        "#!/bin/sh\necho 'pg_basebackup: could not connect' >&2\nexit 1\n"
    )
    failing.chmod(0o755)
    monkeypatch.setattr(bench_replica, "_vendor", lambda: "postgresql")
    monkeypatch.setattr(bench_replica.os, "geteuid", lambda: 0)
    monkeypatch.setattr(bench_replica, "SCRIPT", failing)
    assert dict(bench_replica.run()) == {
        "replica_served": "skipped (scripts/replica.sh start failed: "
        "pg_basebackup: could not connect)"
    }
