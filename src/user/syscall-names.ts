// Linux syscall numbers of the asm-generic table (arm64), for naming a syscall
// el2sim does not implement.
export const SYSCALL_NAMES: Record<number, string> = {
  0: 'io_setup', 17: 'getcwd', 19: 'eventfd2', 20: 'epoll_create1', 21: 'epoll_ctl', 22: 'epoll_pwait', 23: 'dup', 24: 'dup3',
  25: 'fcntl', 29: 'ioctl', 32: 'flock', 33: 'mknodat', 34: 'mkdirat', 35: 'unlinkat', 36: 'symlinkat', 37: 'linkat', 38: 'renameat',
  43: 'statfs', 46: 'ftruncate', 48: 'faccessat', 49: 'chdir', 52: 'fchmod', 53: 'fchmodat', 55: 'fchown', 56: 'openat', 57: 'close',
  59: 'pipe2', 61: 'getdents64', 62: 'lseek', 63: 'read', 64: 'write', 65: 'readv', 66: 'writev', 67: 'pread64', 68: 'pwrite64',
  71: 'sendfile', 72: 'pselect6', 73: 'ppoll', 78: 'readlinkat', 79: 'newfstatat', 80: 'fstat', 82: 'fsync', 93: 'exit',
  94: 'exit_group', 96: 'set_tid_address', 98: 'futex', 99: 'set_robust_list', 101: 'nanosleep', 113: 'clock_gettime',
  114: 'clock_getres', 115: 'clock_nanosleep', 124: 'sched_yield', 129: 'kill', 130: 'tkill', 131: 'tgkill', 134: 'rt_sigaction',
  135: 'rt_sigprocmask', 139: 'rt_sigreturn', 153: 'times', 154: 'setpgid', 157: 'setsid', 160: 'uname', 163: 'getrlimit',
  165: 'getrusage', 167: 'prctl', 169: 'gettimeofday', 172: 'getpid', 173: 'getppid', 174: 'getuid', 175: 'geteuid', 176: 'getgid',
  177: 'getegid', 178: 'gettid', 179: 'sysinfo', 198: 'socket', 200: 'bind', 203: 'connect', 214: 'brk', 215: 'munmap',
  216: 'mremap', 220: 'clone', 221: 'execve', 222: 'mmap', 226: 'mprotect', 233: 'madvise', 260: 'wait4', 261: 'prlimit64',
  278: 'getrandom', 279: 'memfd_create', 291: 'statx', 293: 'rseq', 435: 'clone3',
};

export const syscallName = (n: number): string => SYSCALL_NAMES[n] ?? 'unknown';
