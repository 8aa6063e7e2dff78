Feature: Exhaustive fault loop (the SQLite I/O-error test, for jerry)
  The fault build fails the Nth system call of the store layer with a given
  errno, for N = 1, 2, ... until the command completes without reaching N.
  After each run: exit 0, 6 or 8 only (0 when the failed call's failure is
  tolerated; EINTR must be retried, so always 0); the item is either the
  old version or the new one whole; no temp file after exit 6; the next
  command works and `jerry check` is clean.

  @FL-001
  Scenario: EIO at every store call of every mutating command
    Given the fault-injection build
    And a template store with 3 items
    When each of "create faulty", "update WORK-002 --title faulty --add-label f", "note WORK-002 faulty", "start WORK-001", "done WORK-003", "claim WORK-001", "reindex" fails at every store call in turn with EIO
    Then every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check

  @FL-002
  Scenario: EACCES at every store call of every mutating command
    Given the fault-injection build
    And a template store with 3 items
    When each of "create faulty", "update WORK-002 --title faulty --add-label f", "note WORK-002 faulty", "start WORK-001", "done WORK-003", "claim WORK-001", "reindex" fails at every store call in turn with EACCES
    Then every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check

  @FL-003
  Scenario: EINTR at every store call is retried
    Given the fault-injection build
    And a template store with 3 items
    When each of "create faulty", "update WORK-002 --title faulty --add-label f", "note WORK-002 faulty", "start WORK-001", "done WORK-003", "claim WORK-001", "reindex" fails at every store call in turn with EINTR
    Then every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check

  @FL-004 @full
  Scenario: EIO and ENOSPC at every store call, under AddressSanitizer, LeakSanitizer and UBSan
    Given the fault-injection build with sanitizers
    And a template store with 3 items
    When each of "create faulty", "update WORK-002 --title faulty --add-label f", "note WORK-002 faulty", "done WORK-003" fails at every store call in turn with EIO and ENOSPC
    Then every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check

  @FL-006
  Scenario: The fault loop reaches every kind of system call the store makes
    Given the fault-injection build
    And a template store with 3 items
    When "create faulty", "claim WORK-001", "reindex" and "check" run once with their store calls logged
    Then the log names pread, pwrite, lock, flock, dup, fdopendir, readdir, closedir, faccessat, fstatat, fstat, getrandom and close among its calls

  @FL-005
  Scenario: A repair whose sync fails is never reported as a success
    Given the fault-injection build
    And a template store with 3 items
    And the index of the template store has drifted from a hand-edited item
    When "check --repair" runs with each of its sync calls failing in turn with EIO
    Then every run exited 6 or 8, never 0, and at least one said the repair is not durable
