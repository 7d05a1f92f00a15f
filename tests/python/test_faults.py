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


def test_no_memory(tmp_path):
    """BZ_ENOMEM raises NoMemory (a MemoryError); nothing is written and the
    ledger goes on: bianzhi.debug_fail_alloc makes the library's allocations fail."""
    led = bianzhi.open(str(tmp_path / "武都区.ledger"))
    t = led.begin("录入员", "武都区编办")
    t.create_jurisdiction("620000", "甘肃省")
    t.commit()
    assert bianzhi.debug_fail_alloc(1, persistent=True) == 0   # every allocation from the next on fails
    try:
        with pytest.raises(bianzhi.NoMemory) as e:
            led.begin("录入员", "武都区编办")
    finally:
        assert bianzhi.debug_fail_alloc(0) >= 1
    assert isinstance(e.value, MemoryError) and e.value.code == bianzhi.NoMemory.code
    assert "out of memory" in str(e.value)
    t = led.begin("录入员", "武都区编办")                 # a single failure in the middle of a transaction
    bianzhi.debug_fail_alloc(1)
    try:
        with pytest.raises(bianzhi.NoMemory):
            t.create_jurisdiction("621200", "陇南市", "620000")
    finally:
        assert bianzhi.debug_fail_alloc(0) == 1
    t.rollback()
    assert led.jurisdiction("620000").name == "甘肃省"
    with pytest.raises(bianzhi.NotFound):
        led.jurisdiction("621200")
    with pytest.raises(bianzhi.InvalidArgument):
        bianzhi.debug_fail_alloc(-1)
    with pytest.raises(bianzhi.InvalidArgument):
        bianzhi.debug_fail_alloc(10**12 + 1)
    with pytest.raises(TypeError):
        bianzhi.debug_fail_alloc(1.5)                      # type: ignore[arg-type]
    assert isinstance(bianzhi.alloc_covers_sqlite(), bool)
    led.close()


def test_io_error(tmp_path):
    """BZ_EIO raises LedgerIOError (an OSError) with the path and the system's reason."""
    path = str(tmp_path / "缺失" / "礼县.ledger")
    with pytest.raises(bianzhi.LedgerIOError) as e:
        bianzhi.open(path)
    assert isinstance(e.value, OSError)
    assert path in str(e.value) and "No such file or directory" in str(e.value)
