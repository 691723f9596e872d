// The workload images the kernel holds (embedded at build time) and exec.
#pragma once
#include "arch.h"

/** Limits on a new program's arguments: their number, and their bytes with the NULs. */
#define MAX_ARGS 32
#define ARG_BYTES 2048

struct workload { const char *name; const u8 *start, *end; };
extern const struct workload workloads[], workloads_end[];

const struct workload *find_workload(const char *name);

struct task;
/** Replaces t's address space with the image and points its frame at the entry; -1 if the image is unusable or the arguments too long. */
int exec_image(struct task *t, const struct workload *w, int argc, char *const argv[]);
