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

/** The index of `word` among the comma-separated `choices`, or -1. */
static long parse_choice(const char *choices, const char *word) {
  long i = 0;
  for (const char *c = choices; *c; i++) {
    const char *w = word;
    while (*c && *c != ',' && *c == *w) c++, w++;
    if (!*w && (!*c || *c == ',')) return i;
    while (*c && *c != ',') c++;
    if (*c) c++;
  }
  return -1;
}

const char *opt_choice(const struct opt *o, long v, char *buf, size_t size) {
  const char *c = o->choices;
  for (long i = 0; c && *c && i < v; i++) {
    while (*c && *c != ',') c++;
    if (*c) c++;
  }
  size_t n = 0;
  if (c) while (c[n] && c[n] != ',' && n + 1 < size) n++;
  if (!n) return "?";
  memcpy(buf, c, n);
  buf[n] = 0;
  return buf;
}

static __attribute__((noreturn)) void usage(const char *prog, const char *why, struct opt *opts, int n) {
  printf("%s: %s\nusage: %s", prog, why, prog);
  for (int i = 0; i < n; i++) printf(" [--%s N]", opts[i].name);
  printf("\n");
  for (int i = 0; i < n; i++) {
    printf("  --%s N  %s (%ld..%ld, default %ld)\n", opts[i].name, opts[i].help, opts[i].min, opts[i].max, opts[i].value);
    if (opts[i].choices) printf("      or by name, from 0: %s\n", opts[i].choices);
  }
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
    else {
      v = parse_num(argv[++a]);
      if (v < 0 && o->choices) v = parse_choice(o->choices, argv[a]);
      if (v >= o->min && v <= o->max) {
        o->value = v;
        continue;
      }
      format(why, sizeof why, "bad value '%s' for %s", argv[a], name);
    }
    usage(argv[0], why, opts, n);
  }
}
