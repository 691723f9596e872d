#include "libc.h"

/** A decimal number, or -1 when the text is not one (options are never negative). */
static long parse_num(const char *s) {
  long v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 1000000000000L) return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

static __attribute__((noreturn)) void usage(const char *prog, const char *why, struct opt *opts, int n) {
  printf("%s: %s\nusage: %s", prog, why, prog);
  for (int i = 0; i < n; i++) printf(" [--%s N]", opts[i].name);
  printf("\n");
  for (int i = 0; i < n; i++) printf("  --%s N  %s (%ld..%ld, default %ld)\n", opts[i].name, opts[i].help, opts[i].min, opts[i].max, opts[i].value);
  exit(2);
}

void parse_opts(int argc, char **argv, struct opt *opts, int n) {
  for (int a = 1; a < argc; a++) {
    const char *name = argv[a];
    struct opt *o = 0;
    if (name[0] == '-' && name[1] == '-') {
      for (int i = 0; i < n; i++) if (!strcmp(name + 2, opts[i].name)) o = &opts[i];
    }
    char why[96];
    long v;
    if (!o) format(why, sizeof why, "unknown argument '%s'", name);
    else if (a + 1 == argc) format(why, sizeof why, "missing value for %s", name);
    else if ((v = parse_num(argv[++a])) < o->min || v > o->max) format(why, sizeof why, "bad value '%s' for %s", argv[a], name);
    else {
      o->value = v;
      continue;
    }
    usage(argv[0], why, opts, n);
  }
}
