Feature: Power cut: every acknowledged change survives
  A store on a loop-mounted XFS image.  `xfs_io -x -c 'shutdown -f'` stops
  the filesystem as a power loss would after the journal is flushed
  (renames survive, unsynced data does not); plain `shutdown` flushes
  nothing.  The two alternate.  After unmounting and mounting again, every
  change a command acknowledged with exit 0 must be there, whole.

  @PC-001
  Scenario: Power cut after the Nth acknowledged command, for several N
    Given a store on a loop-mounted XFS image
    When power is cut after N acknowledged commands, for N in 1,2,3,5,8 in ci mode and 1,2,3,4,5,6,7,8,10,13,21 in full mode
    Then every acknowledged change survived, and no item file is torn or empty

  @PC-002
  Scenario: Power cut while writers are in the middle of their writes
    Given a store on a loop-mounted XFS image
    When 3 writers run and power is cut while they write, 3 times in ci mode and 10 in full mode
    Then every acknowledged change survived, and no item file is torn or empty
