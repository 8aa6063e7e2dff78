Feature: History check: a randomized soak with kill -9
  Workers run random creates, updates with and without --if-version,
  notes, label changes and claims; a killer sends SIGKILL to random jerry
  processes.  Every invocation and its result is logged.  The checker
  proves from the log and the final state: no acknowledged change lost,
  no version acknowledged twice, no claim with two winners, and the index
  matches the items.

  @HC-001
  Scenario: Random writers, random kill -9, every result checked against the final state
    When 6 workers run random commands for 12 seconds in ci mode and 60 in full mode while one kills jerry processes at random
    Then the log and the final state prove no acknowledged change was lost and no claim had two winners
