"""Issue 11 from Python: a failed open says the path and the cause; a
transaction's identity tells, after a failed commit, whether it committed;
dates past the end of the calendar are refused."""
import os
import stat
import uuid

import pytest

import bianzhi


def test_failed_open_names_the_path_and_the_cause(tmp_path):
    missing = str(tmp_path / "不存在" / "武都区.ledger")
    with pytest.raises(bianzhi.LedgerIOError) as e:
        bianzhi.open(missing)
    assert missing in str(e.value) and "No such file or directory" in str(e.value)
    assert e.value.path == missing
    fifo = str(tmp_path / "管道")
    os.mkfifo(fifo)
    with pytest.raises(bianzhi.NotALedger) as e:
        bianzhi.open(fifo, create=False)
    assert fifo in str(e.value) and "not a regular file" in str(e.value)
    text = tmp_path / "名册.csv"
    text.write_text("姓名,身份证号\n" * 300, encoding="utf-8")
    with pytest.raises(bianzhi.NotALedger) as e:
        bianzhi.open(str(text), create=False)
    assert "not an SQLite database" in str(e.value)


def test_transaction_identity(tmp_path):
    path = str(tmp_path / "甘肃省.ledger")
    l = bianzhi.open(path)
    t = l.transaction("录入员", "甘肃省委编办")
    done = t.uuid
    assert str(uuid.UUID(done)) == done
    t.create_jurisdiction("620000", "甘肃省")
    assert not l.txn_committed(done)          # open: not yet
    t.commit()
    assert t.uuid == done
    t.close()
    t = l.transaction("录入员", "甘肃省委编办")
    dropped = t.uuid
    assert dropped != done
    t.create_jurisdiction("610000", "陕西省")
    t.rollback()
    t.close()
    l.close()
    again = bianzhi.open(path, readonly=True)
    assert again.txn_committed(done) is True
    assert again.txn_committed(dropped) is False
    assert again.txn_committed(str(uuid.uuid4())) is False
    with pytest.raises(bianzhi.InvalidArgument):
        again.txn_committed("not-a-uuid")
    with pytest.raises(TypeError):
        again.txn_committed(42)
    again.close()


def test_end_of_the_calendar(tmp_path):
    l = bianzhi.open(str(tmp_path / "x.ledger"))
    with pytest.raises(bianzhi.InvalidArgument):
        l.set_clock("9999-12-31")
    l.set_clock("9998-12-31")
    l.close()
