Feature: A writer killed at any instant leaves no partial file (EC-002)
  Each command is first traced once to count its system calls; then, on a
  fresh copy of the same store each time, it is killed with SIGKILL as it
  enters each of them in turn (openat, write, fsync, fdatasync, rename*,
  link*, unlinkat, fcntl locks, flock).

  @EC-002
  Scenario Outline: Killed at every system call: <command>
    Given a template store with 3 items
    When "<command>" is killed at each of its system calls in turn
    Then after every kill each item is whole, the old version or the new one
    And after every kill the next command and jerry check are clean

    Examples:
      | command                                                  |
      | create "crash test" -l crash -p high                     |
      | update WORK-002 --title renamed --add-label gamma        |
      | note WORK-002 "a note written while being killed"        |
      | start WORK-001                                           |
      | done WORK-003                                            |
      | update WORK-002 --assignee someone --if-version 3        |
      | claim WORK-001 --lease 10m                               |
      | claim --next                                             |
      | reindex                                                  |

  @EC-002
  Scenario: A record torn by a writer killed in the middle of its index.log append
    Given a store with 3 items
    And index.log ends in a record torn by a writer killed mid-append
    When 3 more writes run
    Then the store is consistent

  @EC-002
  Scenario Outline: A lock holder killed in the middle of its write: <command>
    Given a template store with 3 items
    When "<command>" is killed while it holds the item lock, before its rename
    Then the item is the old version, and the next write and jerry check are clean

    Examples:
      | command                                   |
      | update WORK-002 --title held --add-label h |
      | note WORK-002 "held note"                 |
      | claim WORK-001 --lease 10m                |
