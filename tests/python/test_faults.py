"""Issue 11 from Python: the busy timeout of a ledger handle. A writer that
cannot get the lock within it raises Busy, saying so; 0 means never wait."""
import time

import pytest

import bianzhi


def test_busy_timeout(tmp_path):
    path = str(tmp_path / "武都区.ledger")
    a = bianzhi.open(path)
    b = bianzhi.open(path, create=False)
    t = a.begin("录入员", "武都区编办")            # a holds the write lock
    t.create_jurisdiction("620000", "甘肃省")
    b.set_busy_timeout(200)
    t0 = time.monotonic()
    with pytest.raises(bianzhi.Busy) as e:
        b.begin("审核员", "武都区编办")
    assert time.monotonic() - t0 >= 0.15
    assert "locked by another connection" in str(e.value) and "200 ms" in str(e.value)
    b.set_busy_timeout(0)                          # never wait
    t0 = time.monotonic()
    with pytest.raises(bianzhi.Busy) as e:
        b.begin("审核员", "武都区编办")
    assert time.monotonic() - t0 < 0.15
    assert "(0 ms" in str(e.value)
    # refused: out of range or not an int, the timeout unchanged
    with pytest.raises(bianzhi.InvalidArgument) as e:
        b.set_busy_timeout(-1)
    assert "-1" in str(e.value)
    with pytest.raises(bianzhi.InvalidArgument):
        b.set_busy_timeout(3600001)
    for bad in (1.5, "100", True, None):
        with pytest.raises(TypeError):
            b.set_busy_timeout(bad)                # type: ignore[arg-type]
    t.commit()
    b.set_busy_timeout(1000)
    t2 = b.begin("审核员", "武都区编办")           # the lock is free again
    t2.rollback()
    a.close()
    b.close()
