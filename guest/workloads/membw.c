// Single-thread memory bandwidth over a --kib KiB working set, by --op:
//   read   8-byte loads, summed (paired: LDP, eight words a loop)
//   write  8-byte stores of a pattern (paired: STP, eight words a loop)
//   copy   the kernel's page-copy loop (pageops.h) from one half of the set to the other
//   zero   the kernel's fresh-page zeroing loop (pageops.h: STP of XZR) over the set
// One untimed pass (which also faults the pages in), then --passes timed ones,
// timed with the cycle counter. Prints `stat: cycles=C bytes=B`, B the bytes
// loaded (read), stored (write, zero) or copied (copy) in the timed passes, so
// B/C is bytes per cycle and C*4096/B the cost of one 4 KiB page (zero, copy).
#include "libc.h"
#include "pageops.h"

enum { READ, WRITE, COPY, ZERO };

static uint64_t read_pass(const uint64_t *p, uint64_t words) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (const uint64_t *end = p + words; p < end; p += 8) {
    s0 += p[0], s1 += p[1], s2 += p[2], s3 += p[3];
    s4 += p[4], s5 += p[5], s6 += p[6], s7 += p[7];
  }
  return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

static void write_pass(uint64_t *p, uint64_t words, uint64_t v) {
  for (uint64_t *end = p + words; p < end; p += 8) {
    p[0] = v, p[1] = v, p[2] = v, p[3] = v;
    p[4] = v, p[5] = v, p[6] = v, p[7] = v;
  }
}

/** One pass of the operation; what a read pass sums. */
static uint64_t pass(int op, uint64_t *buf, uint64_t bytes, uint64_t v) {
  switch (op) {
    case READ: return read_pass(buf, bytes / 8);
    case WRITE: write_pass(buf, bytes / 8, v); return 0;
    case COPY: copy_bytes(buf + bytes / 16, buf, bytes / 2); return 0;
    default: zero_bytes(buf, bytes); return 0;
  }
}

int main(int argc, char **argv) {
  struct opt o[] = {
    { "kib", 64, 4, 1048576, "working set in KiB (copy: half source, half destination)" },
    { "op", 0, 0, 3, "what to time", "read,write,copy,zero" }, // READ..ZERO
    { "passes", 4, 1, 1000000, "timed passes" },
  };
  parse_opts(argc, argv, o, 3);
  int op = (int)o[1].value;
  uint64_t bytes = (uint64_t)o[0].value << 10, words = bytes / 8;
  uint64_t *buf = map_or_die(bytes);
  for (uint64_t i = 0; i < words; i++) buf[i] = i * 0x9e3779b97f4a7c15ull;
  uint64_t sum = pass(op, buf, bytes, 1);
  uint64_t start = cycles();
  for (long i = 0; i < o[2].value; i++) sum += pass(op, buf, bytes, (uint64_t)i + 2);
  uint64_t elapsed = cycles() - start;
  uint64_t moved = (uint64_t)o[2].value * (op == COPY ? bytes / 2 : bytes);
  // what the passes left in memory (a read pass leaves it as it was)
  for (uint64_t i = 0; i < words; i++) sum = sum * 31 + buf[i];
  char name[8];
  STATS({ "cycles", elapsed }, { "bytes", moved });
  printf("membw: kib=%ld op=%s passes=%ld bytes=%lu checksum=0x%016lx\n", o[0].value, opt_choice(&o[1], op, name, sizeof name), o[2].value, moved, sum);
  return 0;
}
