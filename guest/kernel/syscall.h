// The Linux-numbered system calls the kernel implements.
#pragma once
#include "sched.h"

void syscall_dispatch(struct frame *f);
