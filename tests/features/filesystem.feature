Feature: Failure scenarios: the filesystem says no, or is slow
  These need root (mount, FUSE, setpriv).  Where that is missing the
  scenario says SKIP and why; it never passes silently.

  @FS-001
  Scenario: Disk full at different points of every mutating command (small tmpfs)
    Given a template store with 3 items and a 1024 KiB tmpfs
    When each of "create full -d -", "update WORK-002 --description -", "note WORK-002 full", "start WORK-002", "done WORK-003" runs with the free space set to every step of 4 KiB from 0 to 160 KiB
    Then every run succeeded whole or exited 6 saying so, with nothing changed and no temp file left

  @FS-001
  Scenario: Disk full at different points of every mutating command (ext4 image, -m 0)
    Given a template store with 3 items and a 16 MiB ext4 image made with -m 0
    When each of "create full -d -", "update WORK-002 --description -", "note WORK-002 full", "start WORK-002", "done WORK-003" runs with the free space set to every step of 4 KiB from 0 to 160 KiB
    Then every run succeeded whole or exited 6 saying so, with nothing changed and no temp file left

  @FS-001
  Scenario: Disk full at every store call (fault build, ENOSPC)
    Given the fault-injection build
    And a template store with 3 items
    When each of "create faulty", "update WORK-002 --title faulty --add-label f", "note WORK-002 faulty", "start WORK-001", "done WORK-003", "claim WORK-001" fails at every store call in turn with ENOSPC
    Then every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check

  @FS-002
  Scenario: A read-only bind mount: writes exit 6 and change nothing, reads work
    Given a store with 3 items
    And a read-only bind mount of the store
    When every write command and every read command runs there
    Then every write exits 6 with a clear message and changes nothing
    And every read works

  @FS-002
  Scenario: An unprivileged user on a root-owned store: writes exit 6, reads work
    Given a store with 3 items
    And an unprivileged user (uid 65534) facing a store owned by root
    When every write command and every read command runs there
    Then every write exits 6 with a clear message and changes nothing
    And every read works

  @FS-003
  Scenario: Network-filesystem latency: creates at once on a slow FUSE filesystem
    Given a store on a FUSE filesystem that delays every call by 2000 microseconds
    When 20 instances create an item at once, 2 rounds in ci mode and 5 in full mode
    Then every create exited 0 and printed one ID
    And the IDs are unique and contiguous, none overwritten, and the sequence equals the count
    And the store is consistent

  @FS-003
  Scenario: Network-filesystem latency: the --if-version race on a slow FUSE filesystem
    Given a store on a FUSE filesystem that delays every call by 2000 microseconds
    When 2 instances update one item with the same --if-version, 10 rounds in ci mode and 40 in full mode
    Then in every round exactly one won and the others exited 4 with a conflict error
    And the store is consistent

  @FS-003
  Scenario: Network-filesystem latency: lock timeouts are handled
    Given a store on a FUSE filesystem that delays every call by 2000 microseconds
    When 12 instances append a note to one item at once with --lock-timeout 150
    Then each exits 0 or 5, the timed-out ones name the lock and change nothing, and every acknowledged note is there
    And the store is consistent
