// How a user-mode run ends: the reasons, and the exit statuses of runs the
// guest did not end itself (documented in README). Shared by the runner and
// the syscall layer, which ends a run on an unsupported call.
export type ExitReason = 'exit' | 'signal' | 'limit' | 'unsupported-syscall';

export const EXIT = { LIMIT: 124, UNSUPPORTED_SYSCALL: 125, SIGNAL_BASE: 128 } as const;
