Feature: Hostile input: each gets a specific error and loses nothing
  IDs that try to leave the store, text that is not text, files planted or
  broken by hand.  jerry refuses with the documented exit code and a
  message that names the problem, and no item changes.

  @HI-001
  Scenario Outline: Odd and hostile IDs are refused: <cmd>
    Given a store with 3 items and nothing
    When I run jerry <cmd>
    Then it exits <exit> and says "<says>"
    And nothing was lost or touched

    Examples:
      | cmd                                   | exit | says                |
      | show ../../etc/passwd                 | 2    | not an item id      |
      | update ../../etc/passwd --title x     | 2    | not an item id      |
      | note WORK-1/../2 hello                | 2    | not an item id      |
      | show WORK-0                           | 2    | not an item id      |
      | show WORK--1                          | 2    | not an item id      |
      | show WORK-99999999999999999999999     | 2    | not an item id      |
      | show /etc/passwd                      | 2    | not an item id      |
      | show WORK-404                         | 3    | no item             |
      | update WORK-404 --title x             | 3    | no item             |
      | update WORK-001 --parent ../x         | 2    | not an item id      |

  @HI-002
  Scenario Outline: Text that is not valid is refused: <cmd>
    Given a store with 3 items and nothing
    When I run jerry <cmd>
    Then it exits 2 and says "<says>"
    And nothing was lost or touched

    Examples:
      | cmd                                              | says                |
      | create <invalid-utf-8>                           | utf-8               |
      | create <control-char>                            | control character   |
      | create <newline>                                 | control character   |
      | create <257-chars>                               | 256                 |
      | create ""                                        | title               |
      | note WORK-001 <invalid-utf-8>                    | utf-8               |
      | update WORK-001 --title <control-char>           | control character   |
      | update WORK-001 --description <bell>             | control character   |
      | update WORK-001 --description - <64KiB+1-on-stdin> | 65536             |
      | update WORK-001 --add-label <65-byte-label>      | 64                  |
      | update WORK-001 --add-label "a b"                | space               |
      | update WORK-001 --status nonsense                | nonsense            |
      | create x --type nonsense                         | nonsense            |
      | update WORK-001 --if-version banana --title x    | banana              |

  @HI-003
  Scenario Outline: Files planted or broken by hand: <what>, then <cmd>
    Given a store with 3 items and <what>
    When I run jerry <cmd>
    Then it exits <exit> and says "<says>"
    And nothing was lost or touched

    Examples:
      | what                                        | cmd                          | exit | says                      |
      | a symlink planted over WORK-002             | show WORK-002                | 7    | symbolic link             |
      | a symlink planted over WORK-002             | update WORK-002 --title x    | 7    | symbolic link             |
      | a symlink planted over WORK-002             | note WORK-002 x              | 7    | symbolic link             |
      | WORK-002 truncated by hand                  | show WORK-002                | 7    | WORK-002.json & line      |
      | WORK-002 truncated by hand                  | update WORK-002 --title x    | 7    | WORK-002.json & line      |
      | WORK-002 with a duplicate key               | show WORK-002                | 7    | duplicate                 |
      | WORK-002 with a duplicate key               | done WORK-002                | 7    | duplicate                 |
      | WORK-002 emptied                            | note WORK-002 x              | 7    | WORK-002.json             |
      | WORK-002 truncated by hand                  | check                        | 7    | corrupt_item              |
      | a symlink planted over WORK-002             | check                        | 7    | WORK-002.json             |
      | the item lock file replaced by a directory  | update WORK-001 --title x    | 6,7  | items.lock                |
      | the item lock file replaced by a directory  | create x                     | 6,7  | items.lock                |
      | the item lock file replaced by a directory  | check                        | 7    | items.lock                |
      | a stray file in items                       | check                        | 7    | notes.txt                 |

  @HI-003
  Scenario: A symlink planted where the next item goes is not written through
    Given a store with 3 items and a symlink planted as the next item
    When I run jerry create "next one"
    Then it exits 0 and says "WORK-"
    And every other item is intact and the new one is a fresh file

  @HI-003
  Scenario: A sequence behind the items never overwrites an item
    Given a store with 3 items and the sequence behind the items
    When I run jerry create "after the sequence went back"
    Then it exits 0 and says "WORK-004"
    And every other item is intact and the new one is a fresh file
    And after jerry check --repair the store checks clean and every item is there

  @HI-003
  Scenario Outline: A damaged index is rebuilt from the items: <what>
    Given a store with 3 items and <what>
    When I run jerry list --all
    Then it exits 0,7 and says "<says>"
    And after jerry reindex the store checks clean and every item is there

    Examples:
      | what                             | says         |
      | index.json truncated             | WORK-003     |
      | index.json and index.log deleted | WORK-003     |

  @HI-004
  Scenario: The item codec survives libFuzzer with no sanitizer finding
    Given the codec fuzzer and a corpus of real item files
    When the fuzzer runs for 20 seconds in ci mode and 240 in full mode
    Then it finds no crash, leak, sanitizer report or round-trip difference
