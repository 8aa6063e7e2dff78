Feature: Happy path: instances share one store without coordination
  Many jerry processes (agents) use the same data directory at once.  Each
  scenario drives the real binary ($JERRY) and then checks the files on disk.

  @HP-001
  Scenario: Two instances create work items at once
    Given a fresh store
    When 2 instances create an item at once, 25 rounds in ci mode and 100 in full mode
    Then every create exited 0 and printed one ID
    And the IDs are unique and contiguous, none overwritten, and the sequence equals the count
    And the store is consistent

  @HP-001
  Scenario: 100 instances create work items at once
    Given a fresh store
    When 100 instances create an item at once, 1 rounds in ci mode and 2 in full mode
    Then every create exited 0 and printed one ID
    And the IDs are unique and contiguous, none overwritten, and the sequence equals the count
    And the store is consistent

  @HP-002
  Scenario: A reader never sees a partial item while writers rewrite it
    Given an item with a large description
    When 2 writers rewrite it while a reader reads it 600 times in ci mode and 3000 in full mode
    Then every read parsed as a whole version, old or new
    And every acknowledged update is counted in the final version
    And the store is consistent

  @HP-003
  Scenario: Instances updating different items all succeed and the index shows every update
    When 10 instances each update their own item 10 times at once
    Then every update succeeded and list --json shows every update
    And the store is consistent
