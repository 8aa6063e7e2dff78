Feature: Edge cases: conflicts, crashes, stuck lock holders, bursts

  @EC-001
  Scenario: Two instances update the same item with the same --if-version
    Given a fresh store
    When 2 instances update one item with the same --if-version, 40 rounds in ci mode and 200 in full mode
    Then in every round exactly one won and the others exited 4 with a conflict error
    And the store is consistent

  @EC-001
  Scenario: Eight instances race on the same --if-version
    Given a fresh store
    When 8 instances update one item with the same --if-version, 15 rounds in ci mode and 60 in full mode
    Then in every round exactly one won and the others exited 4 with a conflict error
    And the store is consistent

  @EC-001
  Scenario: Eight agents claim the same item at once: no claim has two winners
    Given a fresh store
    When 8 instances claim the same item at once, 15 rounds in ci mode and 60 in full mode
    Then in every round exactly one claim won, the others exited 4, and the item names the winner
    And the store is consistent

  @EC-001
  Scenario: Eight agents take the next ready item at once: each item goes to one agent
    Given a fresh store
    When 8 instances claim --next at once from 5 ready items, 10 rounds in ci mode and 40 in full mode
    Then every ready item went to exactly one instance and the rest were told nothing is ready
    And the store is consistent

  @EC-003
  Scenario Outline: A lock held by a stopped process times out cleanly: <lock> lock, <command>
    Given a store with 3 items
    And a stopped process holds the <lock> lock on <byte>
    When "<command>" runs with --lock-timeout 400
    Then it exits 5 after its timeout and stderr names the <lock> lock
    And the store is unchanged
    And once the stopped process dies the same command succeeds
    And the store is consistent

    Examples:
      | lock     | byte           | command                           |
      | item     | on item 2      | update WORK-002 --title waiting   |
      | item     | on item 2      | note WORK-002 waiting             |
      | item     | on item 3      | done WORK-003                     |
      | item     | on item 2      | reindex                           |
      | item     | on item 2      | check --repair                    |
      | sequence | byte 0         | create waiting                    |
      | index    | byte 0         | update WORK-001 --title waiting   |
      | index    | byte 0         | create waiting                    |

  @EC-003
  Scenario: A jerry writer stopped with SIGSTOP in the middle of a write
    Given a store with 3 items
    And a jerry update of item 2 stopped by SIGSTOP in the middle of its write
    When "update WORK-002 --title second" runs with --lock-timeout 500
    Then it exits 5 after its timeout and stderr names the item lock
    And the store is unchanged
    And after the stopped writer is killed the store is consistent, and after one more write no temp file is left

  @EC-003
  Scenario: No deadlock across every pair of commands
    Given a store with 3 items
    When every pair of commands runs at once, 2 times in ci mode and 6 in full mode
    Then every pair finished promptly with no lock timeout
    And the store is consistent

  @EC-004
  Scenario: 100 instances create in a burst, round after round
    Given a fresh store
    When 100 instances create an item at once, 3 rounds in ci mode and 10 in full mode
    Then every create exited 0 and printed one ID
    And the IDs are unique and contiguous, none overwritten, and the sequence equals the count
    And the store is consistent
