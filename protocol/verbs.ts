/**
 * PowerShell's approved verbs that herald's cmdlets use or may use (Get-Verb). Keeping
 * cmdlets to these makes them guessable for anyone who knows PowerShell.
 */
export const APPROVED_VERBS = new Set([
  'Add', 'Clear', 'Close', 'Copy', 'Enter', 'Exit', 'Find', 'Format', 'Get', 'Hide', 'Join', 'Lock',
  'Move', 'New', 'Open', 'Optimize', 'Pop', 'Push', 'Redo', 'Remove', 'Rename', 'Reset', 'Resize',
  'Search', 'Select', 'Set', 'Show', 'Skip', 'Split', 'Step', 'Switch', 'Undo', 'Unlock', 'Watch',
  'Connect', 'Disconnect', 'Read', 'Receive', 'Send', 'Write', 'Backup', 'Checkpoint', 'Compare',
  'Compress', 'Convert', 'ConvertFrom', 'ConvertTo', 'Dismount', 'Edit', 'Expand', 'Export', 'Group',
  'Import', 'Initialize', 'Limit', 'Merge', 'Mount', 'Out', 'Publish', 'Restore', 'Save', 'Sync',
  'Unpublish', 'Update', 'Approve', 'Assert', 'Build', 'Complete', 'Confirm', 'Deny', 'Deploy',
  'Disable', 'Enable', 'Install', 'Invoke', 'Register', 'Request', 'Restart', 'Resume', 'Start',
  'Stop', 'Submit', 'Suspend', 'Uninstall', 'Unregister', 'Wait', 'Debug', 'Measure', 'Ping',
  'Repair', 'Resolve', 'Test', 'Trace', 'Block', 'Grant', 'Protect', 'Revoke', 'Unblock',
  'Unprotect', 'Use',
]);
